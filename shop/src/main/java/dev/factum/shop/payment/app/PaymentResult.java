// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.app;

import dev.factum.shop.payment.domain.PaymentState;
import dev.factum.shop.payment.domain.PaymentStatus;

import java.util.Objects;

/**
 * What a charge or refund answers: the order's payment after it, and whether it stored anything ({@code false} for an
 * idempotent repeat).
 *
 * @param orderId the order
 * @param status  {@link PaymentStatus#CHARGED}, {@link PaymentStatus#DECLINED}, {@link PaymentStatus#REFUNDED}, or
 *                {@link PaymentStatus#NONE} for a refund of an order never charged
 * @param changed whether an event was stored
 * @param payment the payment state (charge id, amount, declines)
 * @since 0.1
 */
public record PaymentResult(String orderId, PaymentStatus status, boolean changed, PaymentState payment) {
    public PaymentResult {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(payment, "payment");
    }
}
