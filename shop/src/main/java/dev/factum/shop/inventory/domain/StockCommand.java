// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory.domain;

import dev.factum.command.Command;

import java.util.Objects;

/**
 * What is asked of the stock of one SKU ({@link #sku()}, the aggregate instance id: stream {@code Stock-<sku>}). Every
 * command answers a {@link StockResult} on a {@link dev.factum.command.CommandBus}. The records refuse only nulls; the
 * rules are the aggregate's ({@link Stocks#decide}), named in {@link StockRules}.
 *
 * @since 0.1
 */
public sealed interface StockCommand extends Command<StockResult> {

    /** The SKU whose stock this command is about. */
    String sku();

    /** An operator sets the units free to reserve to {@code available} (0 or more); reservations stay as they are. */
    record SetStockLevel(String sku, int available) implements StockCommand {
        public SetStockLevel {
            Objects.requireNonNull(sku, "sku");
        }
    }

    /**
     * Reserves {@code quantity} units for order {@code orderId}. Idempotent by order: a reservation that is already
     * held for the order with the same quantity is answered again, without a new event.
     */
    record ReserveStock(String sku, String orderId, int quantity) implements StockCommand {
        public ReserveStock {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    /**
     * Gives the units reserved for order {@code orderId} back. Idempotent: releasing twice has no effect (no event).
     * Releasing for an order that never reserved records a release of 0 units, so a reserve for that order arriving
     * later (a retried request still on its way when the saga compensated) is refused rather than holding units no
     * one will release; for a SKU whose stock was never set it has no effect.
     */
    record ReleaseStock(String sku, String orderId) implements StockCommand {
        public ReleaseStock {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(orderId, "orderId");
        }
    }
}
