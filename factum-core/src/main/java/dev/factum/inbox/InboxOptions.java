// SPDX-License-Identifier: Apache-2.0
package dev.factum.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long an {@link Inbox} keeps its entries, and the clock it stamps them with. Copy-on-set:
 * {@code InboxOptions.defaults().withRetention(Duration.ofDays(14))}.
 *
 * <p>Refused with an {@link IllegalArgumentException}: a retention under one second (a message redelivered after its
 * entry is gone is handled again, so a retention shorter than any redelivery delay defeats the inbox).
 *
 * @param retention how long an entry is kept after its message was handled (default {@link #DEFAULT_RETENTION});
 *                  {@link Inbox#pruneExpired()} removes older ones. Make it longer than the longest redelivery delay
 *                  of the transport: the relay's resend after a crash, a broker's redelivery, the last retry.
 * @param clock     the time entries are stamped with and {@link Inbox#pruneExpired()} compares to; the system UTC
 *                  clock by default (a test passes one it can move)
 * @since 0.1
 */
public record InboxOptions(Duration retention, Clock clock) {
    /** Seven days: far longer than any redelivery, short enough to keep the table small. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public InboxOptions {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(clock, "clock");
        if (retention.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("inbox retention must be at least 1 s, was " + retention);
        }
    }

    /** {@link #DEFAULT_RETENTION} and the system UTC clock. */
    public static InboxOptions defaults() {
        return new InboxOptions(DEFAULT_RETENTION, Clock.systemUTC());
    }

    public InboxOptions withRetention(Duration value) {
        return new InboxOptions(value, clock);
    }

    public InboxOptions withClock(Clock value) {
        return new InboxOptions(retention, value);
    }

    /** Entries handled before this instant have expired at {@code now}. */
    public Instant expiredBefore(Instant now) {
        return now.minus(retention);
    }
}
