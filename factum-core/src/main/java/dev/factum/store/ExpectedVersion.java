// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

/**
 * The optimistic-concurrency guard of an append, checked inside the append's transaction. Versions are 1-based, so a
 * stream that holds {@code n} events is at version {@code n}, and a stream that does not exist is at version 0.
 *
 * @since 0.1
 */
public sealed interface ExpectedVersion {

    /** No check: append whatever the stream's version. */
    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    /** The stream must not exist yet (version 0). */
    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    /** The stream must hold at least one event. */
    static ExpectedVersion streamExists() {
        return StreamExists.INSTANCE;
    }

    /**
     * The stream must be exactly at {@code version}, the version of the last event the caller has seen.
     *
     * @throws IllegalArgumentException if {@code version < 1}; use {@link #noStream()} for a new stream
     */
    static ExpectedVersion exactly(long version) {
        return new Exactly(version);
    }

    /** Whether a stream currently at {@code actual} (0 = no stream) satisfies this guard. */
    default boolean isSatisfiedBy(long actual) {
        return switch (this) {
            case Any a -> true;
            case NoStream n -> actual == 0;
            case StreamExists s -> actual > 0;
            case Exactly e -> actual == e.version();
        };
    }

    /** See {@link #any()}. */
    enum Any implements ExpectedVersion {
        INSTANCE;

        @Override
        public String toString() {
            return "any";
        }
    }

    /** See {@link #noStream()}. */
    enum NoStream implements ExpectedVersion {
        INSTANCE;

        @Override
        public String toString() {
            return "no stream";
        }
    }

    /** See {@link #streamExists()}. */
    enum StreamExists implements ExpectedVersion {
        INSTANCE;

        @Override
        public String toString() {
            return "stream exists";
        }
    }

    /** See {@link #exactly(long)}. */
    record Exactly(long version) implements ExpectedVersion {
        public Exactly {
            if (version < 1) {
                throw new IllegalArgumentException("expected version must be >= 1, was " + version
                        + " (use ExpectedVersion.noStream() for a stream that does not exist yet)");
            }
        }

        @Override
        public String toString() {
            return "version " + version;
        }
    }
}
