// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.app;

import dev.factum.command.Command;

import java.util.Objects;

/**
 * Refund the charge of order {@code orderId}. Idempotent: refunding twice, or refunding an order that was declined or
 * never charged, has no effect (answered with {@code changed = false}).
 *
 * @since 0.1
 */
public record RefundPayment(String orderId) implements Command<PaymentResult> {
    public RefundPayment {
        Objects.requireNonNull(orderId, "orderId");
    }
}
