// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import dev.factum.query.Query;
import java.util.Objects;
import java.util.Optional;

/**
 * One order's detail with its history; empty if the read model does not show the order (yet).
 *
 * @since 0.1
 */
public record GetOrder(String orderId) implements Query<Optional<OrderDetail>> {
    public GetOrder {
        Objects.requireNonNull(orderId, "orderId");
    }
}
