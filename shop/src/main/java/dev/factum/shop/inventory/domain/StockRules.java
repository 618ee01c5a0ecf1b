// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory.domain;

import dev.factum.aggregate.RuleViolationException;

/**
 * The stable names of the stock rules, as {@link RuleViolationException#rule()} carries them (an HTTP layer answers
 * 422 naming the rule).
 *
 * @since 0.1
 */
public final class StockRules {
    /** A reservation of more units than are free (or of a SKU whose stock was never set). The saga's business "no". */
    public static final String OUT_OF_STOCK = "out-of-stock";
    /** A blank SKU. */
    public static final String SKU_REQUIRED = "sku-required";
    /** A blank order id. */
    public static final String ORDER_ID_REQUIRED = "order-id-required";
    /** A stock level below zero. */
    public static final String LEVEL_MUST_NOT_BE_NEGATIVE = "stock-level-must-not-be-negative";
    /** A reservation of zero units or fewer. */
    public static final String QUANTITY_MUST_BE_POSITIVE = "quantity-must-be-positive";
    /** A second reservation for the same order with another quantity. */
    public static final String RESERVATION_MISMATCH = "reservation-quantity-mismatch";
    /** A reservation for an order whose reservation was already released (a late retry after compensation). */
    public static final String RESERVATION_RELEASED = "reservation-already-released";

    private StockRules() {
    }

    static RuleViolationException refuse(String rule, String message) {
        return new RuleViolationException(rule, message);
    }

    static void requireText(String value, String rule, String what) {
        if (value.isBlank()) throw refuse(rule, what + " must not be blank");
    }
}
