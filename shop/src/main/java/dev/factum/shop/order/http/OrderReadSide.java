// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import dev.factum.query.QueryBus;
import dev.factum.subscription.Projections;

import java.util.Objects;

/**
 * The read models behind {@code GET /orders}, {@code GET /orders/{id}/events} and {@code GET /projections}: a
 * {@link QueryBus} with {@link dev.factum.shop.order.view.OrderQueries} registered, and the running
 * {@link Projections} that fill them. Their answers are eventually consistent: a write shows once the projection's
 * checkpoint reaches it (usually milliseconds); {@code GET /orders/{id}} does not depend on them.
 *
 * @param queries     answers {@link dev.factum.shop.order.view.ListOrders} and {@link dev.factum.shop.order.view.GetOrder}
 * @param projections reported by {@code GET /projections}
 * @since 0.1
 */
public record OrderReadSide(QueryBus queries, Projections projections) {
    public OrderReadSide {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(projections, "projections");
    }
}
