// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

import dev.factum.aggregate.RuleViolationException;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * The stable names of the order rules, as {@link RuleViolationException#rule()} carries them (an HTTP layer answers
 * 422 naming the rule, and 404 for {@link #ORDER_NOT_FOUND}), and the checks on single values that several commands
 * share. The lifecycle rules themselves are in {@link Orders#decide}.
 *
 * @since 0.1
 */
public final class OrderRules {
    /** A command other than create on an order that does not exist. */
    public static final String ORDER_NOT_FOUND = "order-not-found";
    /** Create on an order id that is taken. */
    public static final String ORDER_ALREADY_EXISTS = "order-already-exists";
    /** A blank customer id. */
    public static final String CUSTOMER_REQUIRED = "customer-required";
    /** A currency that is not an ISO-4217 code known to {@link Currency} (codes are upper case: {@code EUR}). */
    public static final String CURRENCY_UNKNOWN = "currency-unknown";
    /** A blank SKU. */
    public static final String SKU_REQUIRED = "sku-required";
    /** A quantity of zero or less. */
    public static final String QUANTITY_MUST_BE_POSITIVE = "quantity-must-be-positive";
    /** A line of more than {@link #MAX_QUANTITY} of one SKU. */
    public static final String QUANTITY_TOO_LARGE = "quantity-too-large";
    /** A negative unit price or payment amount. */
    public static final String AMOUNT_MUST_NOT_BE_NEGATIVE = "amount-must-not-be-negative";
    /** An amount with more than {@link #MAX_SCALE} decimal places (trailing zeros do not count). */
    public static final String AMOUNT_TOO_PRECISE = "amount-at-most-4-decimal-places";
    /** Adding an already ordered SKU at another unit price. */
    public static final String UNIT_PRICE_MUST_MATCH = "unit-price-must-match";
    /** Removing a SKU that is not in the order. */
    public static final String ITEM_NOT_IN_ORDER = "item-not-in-order";
    /** Submitting an order without items. */
    public static final String ORDER_EMPTY = "order-must-not-be-empty";
    /** Changing items of, or submitting, an order that was already submitted. */
    public static final String ORDER_ALREADY_SUBMITTED = "order-already-submitted";
    /** Any command but cancel on a cancelled order. */
    public static final String ORDER_CANCELLED = "order-cancelled";
    /** Any command but delivery on an order the order saga rejected (final). */
    public static final String ORDER_REJECTED = "order-rejected";
    /** Confirming or rejecting an order the saga already decided, or one moved on by an operator. */
    public static final String ORDER_ALREADY_DECIDED = "order-already-decided";
    /** Paying an order that is not submitted yet. */
    public static final String ORDER_NOT_SUBMITTED = "order-not-submitted";
    /** Paying an order that is already paid. */
    public static final String ORDER_ALREADY_PAID = "order-already-paid";
    /** A blank payment id. */
    public static final String PAYMENT_ID_REQUIRED = "payment-id-required";
    /** A payment that is not the order's exact total (compared by value: 39.98 equals 39.980). */
    public static final String PAYMENT_MUST_MATCH_TOTAL = "payment-must-match-total";
    /** Shipping an order that is not paid. */
    public static final String ORDER_NOT_PAID = "order-not-paid";
    /** Shipping again, or cancelling a shipped order. */
    public static final String ORDER_ALREADY_SHIPPED = "order-already-shipped";
    /** A blank tracking number or carrier. */
    public static final String SHIPMENT_DETAILS_REQUIRED = "shipment-details-required";
    /** Delivering an order that is not shipped. */
    public static final String ORDER_NOT_SHIPPED = "order-not-shipped";
    /** Delivering again. */
    public static final String ORDER_ALREADY_DELIVERED = "order-already-delivered";
    /** Cancelling again. */
    public static final String ORDER_ALREADY_CANCELLED = "order-already-cancelled";
    /** A blank cancellation reason. */
    public static final String CANCEL_REASON_REQUIRED = "cancel-reason-required";

    /** The most decimal places of an amount. */
    public static final int MAX_SCALE = 4;
    /** The largest quantity of one SKU in an order. */
    public static final int MAX_QUANTITY = 1_000_000;

    private OrderRules() {
    }

    static RuleViolationException refuse(String rule, String message) {
        return new RuleViolationException(rule, message);
    }

    static void requireText(String value, String rule, String what) {
        if (value.isBlank()) throw refuse(rule, what + " must not be blank");
    }

    static void requireCurrency(String code) {
        try {
            if (Currency.getInstance(code).getCurrencyCode().equals(code)) return;
        } catch (IllegalArgumentException e) {
            // falls through to the refusal
        }
        throw refuse(CURRENCY_UNKNOWN, "'" + code + "' is not an ISO-4217 currency code");
    }

    static void requireAmount(BigDecimal amount, String what) {
        if (amount.signum() < 0) throw refuse(AMOUNT_MUST_NOT_BE_NEGATIVE, what + " " + amount.toPlainString() + " is negative");
        if (amount.stripTrailingZeros().scale() > MAX_SCALE) {
            throw refuse(AMOUNT_TOO_PRECISE, what + " " + amount.toPlainString() + " has more than " + MAX_SCALE + " decimal places");
        }
    }

    static void requireLine(OrderLine line) {
        requireText(line.sku(), SKU_REQUIRED, "sku");
        if (line.quantity() <= 0) {
            throw refuse(QUANTITY_MUST_BE_POSITIVE, "quantity of " + line.sku() + " must be positive, was " + line.quantity());
        }
        if (line.quantity() > MAX_QUANTITY) {
            throw refuse(QUANTITY_TOO_LARGE, "quantity of " + line.sku() + " must be at most " + MAX_QUANTITY);
        }
        requireAmount(line.unitPrice(), "unit price of " + line.sku());
    }
}
