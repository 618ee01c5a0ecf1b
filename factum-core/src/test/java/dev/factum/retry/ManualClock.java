// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test (or a {@link RecordingSleeper}) moves it. Thread-safe. */
public final class ManualClock extends Clock {
    public static final Instant START = Instant.parse("2026-03-01T09:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(START);

    public void advance(Duration duration) {
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
        throw new UnsupportedOperationException("a ManualClock stays in UTC");
    }
}
