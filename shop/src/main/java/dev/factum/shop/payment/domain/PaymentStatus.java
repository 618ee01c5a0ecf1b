// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.domain;

/**
 * Where an order's payment is: {@code NONE → CHARGED → REFUNDED}, or {@code DECLINED} (a later charge under another
 * idempotency key may still be approved), or {@code VOIDED} (a refund came before any charge: none is taken later).
 *
 * @since 0.1
 */
public enum PaymentStatus {
    /** Never charged. */
    NONE,
    /** The last charge attempt was declined; nothing is owed back. */
    DECLINED,
    /** Charged; a refund gives it back. */
    CHARGED,
    /** Charged, then refunded; final. */
    REFUNDED,
    /**
     * Refunded before it was ever charged — a saga compensated a charge whose request was still on its way — so a
     * charge arriving later is refused ({@link PaymentRules#PAYMENT_VOIDED}); final.
     */
    VOIDED
}
