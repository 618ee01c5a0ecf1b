// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

/**
 * What an append wrote: the versions of its first and last event in the stream and their positions in the global
 * order. An idempotent re-append returns the result of the original append.
 *
 * @since 0.1
 */
public record AppendResult(StreamId stream, long firstVersion, long lastVersion, Position firstPosition, Position lastPosition) {

    /** The guard to use for the next append to this stream by the same writer. */
    public ExpectedVersion nextExpectedVersion() {
        return ExpectedVersion.exactly(lastVersion);
    }
}
