// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import dev.factum.shop.order.domain.OrderLine;
import java.util.List;
import java.util.Objects;

/**
 * An order as the read model shows it: its list row, its lines, and its history up to the row's version (so the
 * history never runs ahead of the state shown).
 *
 * @since 0.1
 */
public record OrderDetail(OrderSummary summary, List<OrderLine> items, List<OrderHistoryEntry> history) {
    public OrderDetail {
        Objects.requireNonNull(summary, "summary");
        items = List.copyOf(items);
        history = List.copyOf(history);
    }
}
