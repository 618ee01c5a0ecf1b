// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping.domain;

import java.util.Objects;

/**
 * What a shipment command answers: the shipment after it, its stream version, and whether the command stored an
 * event ({@code false} for an idempotent repeat).
 *
 * @param orderId  the order
 * @param version  the {@code Shipment-<orderId>} stream's version after the command (0 if nothing was stored)
 * @param changed  whether an event was stored
 * @param shipment the shipment
 * @since 0.1
 */
public record ShipmentResult(String orderId, long version, boolean changed, ShipmentState shipment) {
    public ShipmentResult {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(shipment, "shipment");
    }
}
