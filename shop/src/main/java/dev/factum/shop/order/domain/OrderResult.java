// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

import dev.factum.store.Position;

import java.util.Objects;

/**
 * What a handled order command answers: the order's state and stream version after it, and the global position of
 * its last new event. The version is what an HTTP layer puts in an {@code ETag} (and expects back in
 * {@code If-Match}); the position is what a read model must have reached for the client to read its own write.
 *
 * @param orderId  the order
 * @param version  the order stream's version after the command (1 after creation)
 * @param position the global position of the command's last event
 * @param state    the order after the command
 * @since 0.1
 */
public record OrderResult(String orderId, long version, Position position, OrderState state) {
    public OrderResult {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(state, "state");
        if (version < 1) throw new IllegalArgumentException("version must be >= 1, was " + version);
    }
}
