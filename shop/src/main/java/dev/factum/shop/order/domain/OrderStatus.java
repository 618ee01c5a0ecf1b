// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

/**
 * Where an order is in its lifecycle: {@code DRAFT → SUBMITTED → PAID → SHIPPED → DELIVERED}, or {@code CANCELLED}
 * from any status before {@code SHIPPED}. Items change only in {@code DRAFT}.
 *
 * @since 0.1
 */
public enum OrderStatus {
    /** Created; items may be added and removed. */
    DRAFT,
    /** Submitted for payment; items are fixed and the total is due. */
    SUBMITTED,
    /** The exact total was paid; ready to ship. */
    PAID,
    /** Handed to a carrier; can no longer be cancelled. */
    SHIPPED,
    /** Received by the customer; final. */
    DELIVERED,
    /** Cancelled before shipping; final. */
    CANCELLED
}
