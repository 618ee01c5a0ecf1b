// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory.domain;

import java.util.Objects;

/**
 * What a handled stock command answers: the SKU's stock after it, the stream version, and whether the command
 * changed anything ({@code false} for an idempotent repeat: a reservation already held, a release with nothing to
 * release, a level set to what it already was).
 *
 * @param sku     the SKU
 * @param version the {@code Stock-<sku>} stream's version after the command (0 if nothing was ever stored)
 * @param changed whether the command stored an event
 * @param state   the stock after the command
 * @since 0.1
 */
public record StockResult(String sku, long version, boolean changed, StockState state) {
    public StockResult {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(state, "state");
    }
}
