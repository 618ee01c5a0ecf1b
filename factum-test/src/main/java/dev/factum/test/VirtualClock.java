// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock that stands still until a test moves it, for engines that take a {@link Clock} (sagas, leases).
 * Thread-safe: an engine on other threads sees each move.
 *
 * @since 0.1
 */
public final class VirtualClock extends Clock {
    /** Where a clock made with {@link #VirtualClock()} starts. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    public VirtualClock() {
        this(START);
    }

    public VirtualClock(Instant start) {
        this.now = new AtomicReference<>(java.util.Objects.requireNonNull(start, "start"));
    }

    /** Moves the clock forward by {@code duration}. */
    public void advance(Duration duration) {
        if (duration.isNegative()) throw new IllegalArgumentException("a virtual clock only moves forward, not by " + duration);
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a virtual clock stays in UTC");
    }
}
