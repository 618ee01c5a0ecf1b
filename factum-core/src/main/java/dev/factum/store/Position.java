// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

/**
 * An event's place in the global order of the whole store. Positions are strictly increasing in the order a reader
 * sees them and a reader never skips one. The first event has position 1; {@link #BEGINNING} (0) means "before the
 * first event". A separate type so a position can never be confused with a stream version.
 *
 * @since 0.1
 */
public record Position(long value) implements Comparable<Position> {
    /** Before the first event: reading after it returns the whole store. */
    public static final Position BEGINNING = new Position(0);

    public Position {
        if (value < 0) throw new IllegalArgumentException("position must be >= 0, was " + value);
    }

    public static Position of(long value) {
        return new Position(value);
    }

    public boolean isAfter(Position other) {
        return value > other.value;
    }

    @Override
    public int compareTo(Position other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
