// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.app;

import dev.factum.command.Command;
import dev.factum.shop.order.domain.OrderCommand;
import dev.factum.shop.order.domain.OrderResult;

import java.util.Objects;

/**
 * An order command that applies only if the order is still at {@code version}: the write behind an HTTP
 * {@code If-Match}. Unlike a plain {@link OrderCommand} it is never retried on a concurrent writer — the client saw
 * {@code version}, so any other version, found on load or on append, refuses it with
 * {@link dev.factum.store.WrongExpectedVersionException} (an HTTP layer answers 412). A missing order is still
 * {@code order-not-found} first.
 *
 * @param command the command
 * @param version the order stream's version the client last saw, 1 or more
 * @since 0.1
 */
public record ExpectingVersion(OrderCommand command, long version) implements Command<OrderResult> {
    public ExpectingVersion {
        Objects.requireNonNull(command, "command");
        if (version < 1) throw new IllegalArgumentException("version must be >= 1, was " + version);
    }
}
