// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping.domain;

/**
 * Where an order's shipment is: {@code NONE → CREATED → CANCELLED}.
 *
 * @since 0.1
 */
public enum ShipmentStatus {
    /** Never created. */
    NONE,
    /** Created, with a tracking number. */
    CREATED,
    /** Cancelled; final. */
    CANCELLED
}
