// SPDX-License-Identifier: Apache-2.0
package dev.factum.event;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered event ids: RFC 9562 UUID version 7 (48 bits of Unix milliseconds, then random bits), so ids created
 * close in time sit close in a unique index. Monotonic within one JVM, even within one millisecond and when the clock
 * stalls or steps back: the 12 bits after the timestamp are a counter, seeded randomly each millisecond (RFC 9562
 * §6.2, method 1), and a counter overflow borrows the next millisecond.
 *
 * @since 0.1
 */
public final class EventIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The last stamp handed out: Unix milliseconds shifted left by 12, plus the counter. */
    private static final AtomicLong LAST_STAMP = new AtomicLong();

    private EventIds() {
    }

    /** A new version-7 UUID. */
    public static UUID next() {
        long seeded = (System.currentTimeMillis() << 12) | RANDOM.nextInt(1 << 11);
        long stamp = LAST_STAMP.updateAndGet(last -> seeded > last ? seeded : last + 1);
        long msb = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0xFFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
