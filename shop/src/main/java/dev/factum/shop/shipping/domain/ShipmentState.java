// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping.domain;

import dev.factum.shop.shipping.domain.ShipmentEvent.ShipmentCancelled;
import dev.factum.shop.shipping.domain.ShipmentEvent.ShipmentCreated;

import java.util.Objects;

/**
 * An order's shipment: its status, tracking number and carrier (empty strings until created). {@link #NONE} is a
 * shipment never created.
 *
 * @param status         where the shipment is
 * @param trackingNumber the tracking number; empty until created
 * @param carrier        the carrier; empty until created
 * @since 0.1
 */
public record ShipmentState(ShipmentStatus status, String trackingNumber, String carrier) {
    /** A shipment never created. */
    public static final ShipmentState NONE = new ShipmentState(ShipmentStatus.NONE, "", "");

    public ShipmentState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(trackingNumber, "trackingNumber");
        Objects.requireNonNull(carrier, "carrier");
    }

    /** The state after {@code event}; an exhaustive switch. */
    public ShipmentState evolve(ShipmentEvent event) {
        return switch (event) {
            case ShipmentCreated c -> new ShipmentState(ShipmentStatus.CREATED, c.trackingNumber(), c.carrier());
            case ShipmentCancelled c -> new ShipmentState(ShipmentStatus.CANCELLED, trackingNumber, carrier);
        };
    }
}
