// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga.view;

import java.util.List;

/**
 * One page of the saga status list, newest saga first.
 *
 * @param items  the sagas on this page (at most {@code limit})
 * @param total  how many sagas match the filter, on all pages, counted in the same snapshot as {@code items} (also for
 *               an empty page past the end)
 * @param limit  the page's size asked for
 * @param offset how many matching sagas were skipped before this page
 * @since 0.1
 */
public record SagaPage(List<SagaSummary> items, long total, int limit, long offset) {
    public SagaPage {
        items = List.copyOf(items);
    }
}
