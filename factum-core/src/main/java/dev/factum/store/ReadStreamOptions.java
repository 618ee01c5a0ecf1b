// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

/**
 * How to read one stream: forward from a version (inclusive) or backward from a version (inclusive), at most
 * {@code limit} events. Copy-on-set: {@code ReadStreamOptions.forward().fromVersion(5).limit(100)}.
 *
 * @param direction   forward (oldest first) or backward (newest first)
 * @param fromVersion first version to return; backward reads may use {@link #END} for "the last event"
 * @param limit       at most this many events, 1 or more
 * @since 0.1
 */
public record ReadStreamOptions(Direction direction, long fromVersion, int limit) {
    /** Backward from the stream's last event. */
    public static final long END = Long.MAX_VALUE;

    public enum Direction { FORWARD, BACKWARD }

    public ReadStreamOptions {
        if (direction == null) throw new IllegalArgumentException("direction is missing");
        if (fromVersion < 1) throw new IllegalArgumentException("fromVersion must be >= 1, was " + fromVersion);
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }

    /** The whole stream, oldest first. */
    public static ReadStreamOptions forward() {
        return new ReadStreamOptions(Direction.FORWARD, 1, Integer.MAX_VALUE);
    }

    /** The whole stream, newest first. */
    public static ReadStreamOptions backward() {
        return new ReadStreamOptions(Direction.BACKWARD, END, Integer.MAX_VALUE);
    }

    public ReadStreamOptions fromVersion(long version) {
        return new ReadStreamOptions(direction, version, limit);
    }

    public ReadStreamOptions limit(int max) {
        return new ReadStreamOptions(direction, fromVersion, max);
    }
}
