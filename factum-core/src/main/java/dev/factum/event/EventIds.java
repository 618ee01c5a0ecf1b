// SPDX-License-Identifier: Apache-2.0
package dev.factum.event;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered event ids: RFC 9562 UUID version 7 (48 bits of Unix milliseconds, then random bits), so ids created
 * close in time sit close in a unique index. Monotonic within one JVM even when the clock stalls.
 *
 * @since 0.1
 */
public final class EventIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong LAST_MILLIS = new AtomicLong();

    private EventIds() {
    }

    /** A new version-7 UUID. */
    public static UUID next() {
        long millis = LAST_MILLIS.updateAndGet(last -> Math.max(last, System.currentTimeMillis()));
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | 0x7000L | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
