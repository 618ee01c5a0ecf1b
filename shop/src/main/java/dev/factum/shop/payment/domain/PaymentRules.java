// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.domain;

import dev.factum.aggregate.RuleViolationException;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * The stable names of the payment rules, as {@link RuleViolationException#rule()} carries them, and the checks of a
 * charge request that the application layer runs before it calls the gateway. A declined charge is not a rule: it is
 * recorded ({@link PaymentEvent.PaymentDeclined}) and answered as {@link PaymentStatus#DECLINED}.
 *
 * @since 0.1
 */
public final class PaymentRules {
    /** A blank order id. */
    public static final String ORDER_ID_REQUIRED = "order-id-required";
    /** A blank idempotency key. */
    public static final String IDEMPOTENCY_KEY_REQUIRED = "idempotency-key-required";
    /** An amount of zero or less. */
    public static final String AMOUNT_MUST_BE_POSITIVE = "amount-must-be-positive";
    /** A currency that is not an upper-case ISO-4217 code. */
    public static final String CURRENCY_UNKNOWN = "currency-unknown";
    /** A charge under a new idempotency key for an order that was already charged. */
    public static final String ALREADY_CHARGED = "payment-already-charged";
    /** A charge for an order whose payment was voided (refunded before any charge). */
    public static final String PAYMENT_VOIDED = "payment-voided";

    private PaymentRules() {
    }

    /**
     * Checks the values of a charge request.
     *
     * @throws RuleViolationException naming the first rule broken
     */
    public static void requireValidCharge(String orderId, String idempotencyKey, BigDecimal amount, String currency) {
        if (orderId.isBlank()) throw new RuleViolationException(ORDER_ID_REQUIRED, "order id must not be blank");
        if (idempotencyKey.isBlank()) {
            throw new RuleViolationException(IDEMPOTENCY_KEY_REQUIRED, "idempotency key must not be blank");
        }
        if (amount.signum() <= 0) {
            throw new RuleViolationException(AMOUNT_MUST_BE_POSITIVE, "amount must be positive, was " + amount.toPlainString());
        }
        boolean known;
        try {
            known = Currency.getInstance(currency).getCurrencyCode().equals(currency);
        } catch (IllegalArgumentException e) {
            known = false;
        }
        if (!known) throw new RuleViolationException(CURRENCY_UNKNOWN, "'" + currency + "' is not an ISO-4217 currency code");
    }

    /**
     * Refuses a charge under {@code idempotencyKey} of an order that {@code payment} shows charged under another key.
     *
     * @throws RuleViolationException {@link #ALREADY_CHARGED}
     */
    public static void requireNotChargedByAnotherKey(PaymentState payment, String orderId, String idempotencyKey) {
        if (payment.charged() && !payment.chargedKey().equals(idempotencyKey)) {
            throw new RuleViolationException(ALREADY_CHARGED, "order " + orderId + " was already charged as "
                    + payment.chargeId() + " under another idempotency key");
        }
    }

    /**
     * Refuses a charge of a voided payment.
     *
     * @throws RuleViolationException {@link #PAYMENT_VOIDED}
     */
    public static void requireNotVoided(PaymentState payment, String orderId) {
        if (payment.status() == PaymentStatus.VOIDED) {
            throw new RuleViolationException(PAYMENT_VOIDED, "the payment of order " + orderId
                    + " was refunded before any charge; it takes none now");
        }
    }
}
