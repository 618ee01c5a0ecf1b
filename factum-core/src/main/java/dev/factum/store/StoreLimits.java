// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

/**
 * Limits every store enforces before writing anything. Sizes are in bytes of UTF-8 JSON text.
 *
 * @param maxPayloadBytes  largest accepted event payload (default 1 MiB)
 * @param maxEventsPerAppend most events in one append (default 10,000)
 * @since 0.1
 */
public record StoreLimits(int maxPayloadBytes, int maxEventsPerAppend) {
    public static final StoreLimits DEFAULT = new StoreLimits(1 << 20, 10_000);

    public StoreLimits {
        if (maxPayloadBytes < 2) throw new IllegalArgumentException("maxPayloadBytes must be >= 2, was " + maxPayloadBytes);
        if (maxEventsPerAppend < 1) throw new IllegalArgumentException("maxEventsPerAppend must be >= 1");
    }

    public StoreLimits withMaxPayloadBytes(int bytes) {
        return new StoreLimits(bytes, maxEventsPerAppend);
    }
}
