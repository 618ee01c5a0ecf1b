// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How often, and how long apart, a failing message is tried before it becomes a {@link DeadLetter}: at most
 * {@code maxAttempts} attempts in all, the n-th retry waiting {@code initialDelay × multiplier^(n-1)}, capped at
 * {@code maxDelay}. With the default (5 attempts, 1 s, ×2, at most 5 min) a message is tried at about 0, 1, 3, 7 and
 * 15 s, then dead-lettered. No jitter: delays are exact so they can be tested with a controllable clock.
 *
 * @param maxAttempts  attempts in all, the first included (1 = no retry)
 * @param initialDelay the wait before the first retry
 * @param multiplier   growth of the wait per retry (≥ 1)
 * @param maxDelay     the longest wait
 * @since 0.1
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

    /** 5 attempts, waits of 1, 2, 4 and 8 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5));

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be 1-100, was " + maxAttempts);
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative()) throw new IllegalArgumentException("initialDelay must not be negative");
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + multiplier);
        }
    }

    /** Exponential backoff: {@code maxAttempts} attempts, starting at {@code initialDelay}, doubling, at most {@code maxDelay}. */
    public static RetryPolicy exponential(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, 2.0, maxDelay);
    }

    /** One attempt: a failure becomes a dead letter at once. */
    public static RetryPolicy noRetry() {
        return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);
    }

    /**
     * The wait before the next attempt after {@code failedAttempts} attempts failed, or empty when none is left.
     *
     * @param failedAttempts attempts made so far, all failed (≥ 1)
     */
    public Optional<Duration> delayAfter(int failedAttempts) {
        if (failedAttempts < 1) throw new IllegalArgumentException("failedAttempts must be >= 1, was " + failedAttempts);
        if (failedAttempts >= maxAttempts) return Optional.empty();
        double millis = initialDelay.toMillis() * Math.pow(multiplier, failedAttempts - 1);
        long capped = millis >= maxDelay.toMillis() ? maxDelay.toMillis() : (long) millis;
        return Optional.of(Duration.ofMillis(capped));
    }

    /** Every distinct wait this policy can use, shortest first (a RabbitMQ delay queue per wait). */
    public java.util.List<Duration> delays() {
        java.util.List<Duration> delays = new java.util.ArrayList<>();
        for (int failed = 1; failed < maxAttempts; failed++) {
            Duration delay = delayAfter(failed).orElseThrow();
            if (!delays.contains(delay)) delays.add(delay);
        }
        return java.util.List.copyOf(delays);
    }

    /** Whether {@code error} may be fixed by trying again: everything but a rejected or unreadable message. */
    public static boolean retryable(Throwable error) {
        return !(error instanceof dev.factum.transport.RejectedMessageException
                || error instanceof dev.factum.transport.InvalidMessageException);
    }
}
