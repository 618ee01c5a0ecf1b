// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import dev.factum.shop.order.domain.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the order list.
 *
 * @param itemCount   the number of units ordered (the sum of the lines' quantities)
 * @param version     the order's version (its stream's last event) this row shows
 * @param lastUpdated when the order's last event was recorded
 * @since 0.1
 */
public record OrderSummary(String orderId, String customerId, String currency, OrderStatus status, BigDecimal total,
                           int itemCount, long version, Instant lastUpdated) {
    public OrderSummary {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
    }
}
