// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import java.util.List;

/**
 * One page of the order list, newest order first.
 *
 * @param items the orders on this page (at most {@code size})
 * @param total how many orders match the filter, on all pages, counted in the same snapshot as {@code items} (also
 *              for an empty page past the end)
 * @since 0.1
 */
public record OrderPage(List<OrderSummary> items, long total, int page, int size) {
    public OrderPage {
        items = List.copyOf(items);
    }
}
