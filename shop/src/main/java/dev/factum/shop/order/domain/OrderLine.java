// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line of an order: a SKU, how many, and the price of one in the order's currency. Used by commands and events
 * alike. The record only refuses nulls; the business rules (positive quantity, non-negative price with at most four
 * decimal places, a SKU that is not blank) are checked by the aggregate, so that breaking them is a named
 * {@link dev.factum.aggregate.RuleViolationException}.
 *
 * @param sku       the stock-keeping unit, e.g. {@code "SKU-1"}
 * @param quantity  how many
 * @param unitPrice the price of one, an exact decimal
 * @since 0.1
 */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {
    public OrderLine {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(unitPrice, "unitPrice");
    }

    /** {@code quantity × unitPrice}, exact. */
    public BigDecimal subtotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
