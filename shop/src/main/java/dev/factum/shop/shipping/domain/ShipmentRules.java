// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping.domain;

import dev.factum.aggregate.RuleViolationException;

/**
 * The stable names of the shipment rules, as {@link RuleViolationException#rule()} carries them.
 *
 * @since 0.1
 */
public final class ShipmentRules {
    /** A blank order id. */
    public static final String ORDER_ID_REQUIRED = "order-id-required";
    /** A blank carrier. */
    public static final String CARRIER_REQUIRED = "carrier-required";
    /** A blank cancellation reason. */
    public static final String CANCEL_REASON_REQUIRED = "cancel-reason-required";
    /** Creating a shipment that was cancelled (a late retry after compensation). */
    public static final String SHIPMENT_CANCELLED = "shipment-cancelled";

    private ShipmentRules() {
    }

    static void requireText(String value, String rule, String what) {
        if (value.isBlank()) throw new RuleViolationException(rule, what + " must not be blank");
    }
}
