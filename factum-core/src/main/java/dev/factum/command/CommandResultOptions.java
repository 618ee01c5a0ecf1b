// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a {@link CommandResultStore} remembers commands and trusts claims. Copy-on-set:
 * {@code CommandResultOptions.defaults().withRetention(Duration.ofDays(7))}.
 *
 * <p>Refused with an {@link IllegalArgumentException}: a retention or claim timeout under one millisecond, and a
 * retention not longer than the claim timeout (a claim must expire before its row may be pruned).
 *
 * @param retention    how long a done command is remembered after its result was recorded (default
 *                     {@link #DEFAULT_RETENTION}); a resend later than that runs again. Older rows are pruned.
 * @param claimTimeout how long a claim holds without a result before it counts as abandoned — its process died or
 *                     is stuck — and a resend takes it over and runs the handler again (default
 *                     {@link #DEFAULT_CLAIM_TIMEOUT}). Must exceed the longest time a handler runs.
 * @param clock        the time claims and results are stamped with and compared to; the system UTC clock by default
 *                     (a test passes one it can move)
 * @since 0.1
 */
public record CommandResultOptions(Duration retention, Duration claimTimeout, Clock clock) {
    /** One day: longer than any client's retry, short enough to keep the table small. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(1);
    /** One minute: far longer than a handler normally runs. */
    public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(1);

    public CommandResultOptions {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(claimTimeout, "claimTimeout");
        Objects.requireNonNull(clock, "clock");
        if (claimTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("claim timeout must be at least 1 ms, was " + claimTimeout);
        }
        if (retention.compareTo(claimTimeout) <= 0) {
            throw new IllegalArgumentException("retention (" + retention + ") must be longer than the claim timeout ("
                    + claimTimeout + "): a claim must expire before its row may be pruned");
        }
    }

    /** {@link #DEFAULT_RETENTION}, {@link #DEFAULT_CLAIM_TIMEOUT}, the system UTC clock. */
    public static CommandResultOptions defaults() {
        return new CommandResultOptions(DEFAULT_RETENTION, DEFAULT_CLAIM_TIMEOUT, Clock.systemUTC());
    }

    public CommandResultOptions withRetention(Duration value) {
        return new CommandResultOptions(value, claimTimeout, clock);
    }

    public CommandResultOptions withClaimTimeout(Duration value) {
        return new CommandResultOptions(retention, value, clock);
    }

    public CommandResultOptions withClock(Clock value) {
        return new CommandResultOptions(retention, claimTimeout, value);
    }

    /** Results recorded before this instant are forgotten at {@code now}. */
    public Instant forgottenBefore(Instant now) {
        return now.minus(retention);
    }

    /** Claims taken before this instant are abandoned at {@code now}. */
    public Instant abandonedBefore(Instant now) {
        return now.minus(claimTimeout);
    }
}
