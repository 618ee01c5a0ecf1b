// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

/**
 * Where an order is in its lifecycle. With the order saga: {@code DRAFT → SUBMITTED → CONFIRMED → DELIVERED}, or
 * {@code SUBMITTED → REJECTED}. Operator actions: {@code SUBMITTED → PAID → SHIPPED → DELIVERED}, and {@code CANCELLED}
 * from any status before {@code SHIPPED} (or {@code CONFIRMED}). Items change only in {@code DRAFT}.
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
    /** The order saga reserved the stock, charged the payment and created the shipment; ready to deliver. */
    CONFIRMED,
    /** The order saga failed (out of stock, payment declined, shipping failed) and compensated; final. */
    REJECTED,
    /** Cancelled before shipping; final. */
    CANCELLED
}
