// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.app;

import dev.factum.command.Command;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Charge order {@code orderId} {@code amount} {@code currency}, under {@code idempotencyKey}: sending it again with
 * the same key charges at most once and answers the same {@link PaymentResult}. A decline is an answer
 * ({@link dev.factum.shop.payment.domain.PaymentStatus#DECLINED}), not an error.
 *
 * @since 0.1
 */
public record ChargePayment(String orderId, String idempotencyKey, BigDecimal amount, String currency)
        implements Command<PaymentResult> {
    public ChargePayment {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }
}
