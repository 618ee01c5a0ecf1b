// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import dev.factum.FactumException;

/**
 * An append was refused because the stream was not at the expected version: somebody else appended first. Nothing
 * of the refused append was written. The usual reaction is to reload the stream, decide again and retry.
 *
 * @since 0.1
 */
public final class WrongExpectedVersionException extends FactumException {
    private final StreamId stream;
    private final ExpectedVersion expected;
    private final long actual;

    public WrongExpectedVersionException(StreamId stream, ExpectedVersion expected, long actual) {
        super("append to " + stream + " expected " + expected + " but the stream is at "
                + (actual == 0 ? "no stream (version 0)" : "version " + actual));
        this.stream = stream;
        this.expected = expected;
        this.actual = actual;
    }

    public StreamId stream() {
        return stream;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    /** The stream's version when the append was checked; 0 when the stream did not exist. */
    public long actual() {
        return actual;
    }
}
