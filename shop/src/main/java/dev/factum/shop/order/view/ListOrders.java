// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import dev.factum.query.Query;
import dev.factum.shop.order.domain.OrderStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists orders, newest first, optionally only those of one status and/or one customer.
 *
 * @param page 0-based page number
 * @param size orders per page, 1 to {@value #MAX_SIZE}
 * @throws IllegalArgumentException if {@code page < 0} or {@code size} is out of range
 * @since 0.1
 */
public record ListOrders(Optional<OrderStatus> status, Optional<String> customerId, int page, int size)
        implements Query<OrderPage> {
    /** The largest page size. */
    public static final int MAX_SIZE = 100;

    public ListOrders {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(customerId, "customerId");
        if (page < 0) throw new IllegalArgumentException("page must be >= 0, was " + page);
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE + ", was " + size);
        }
    }

    /** All orders, page {@code page} of {@code size}. */
    public static ListOrders all(int page, int size) {
        return new ListOrders(Optional.empty(), Optional.empty(), page, size);
    }
}
