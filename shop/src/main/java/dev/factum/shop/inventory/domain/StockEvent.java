// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory.domain;

import java.util.Objects;

/**
 * What happened to the stock of one SKU. Stored under each record's simple name; names and fields are the stored
 * schema, so change them only with an upcaster.
 *
 * @since 0.1
 */
public sealed interface StockEvent {

    /** An operator set the units free to reserve to {@code available}. */
    record StockLevelSet(int available) implements StockEvent {
    }

    /** {@code quantity} units were reserved for order {@code orderId}. */
    record StockReserved(String orderId, int quantity) implements StockEvent {
        public StockReserved {
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    /** The {@code quantity} units reserved for order {@code orderId} were given back. */
    record StockReleased(String orderId, int quantity) implements StockEvent {
        public StockReleased {
            Objects.requireNonNull(orderId, "orderId");
        }
    }
}
