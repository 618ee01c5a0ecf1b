// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping.domain;

import java.util.Objects;

/**
 * What happened to an order's shipment. Stored under each record's simple name; names and fields are the stored
 * schema, so change them only with an upcaster.
 *
 * @since 0.1
 */
public sealed interface ShipmentEvent {

    /** The shipment was created with {@code carrier} under {@code trackingNumber}. */
    record ShipmentCreated(String trackingNumber, String carrier) implements ShipmentEvent {
        public ShipmentCreated {
            Objects.requireNonNull(trackingNumber, "trackingNumber");
            Objects.requireNonNull(carrier, "carrier");
        }
    }

    /** The shipment was cancelled for {@code reason}. */
    record ShipmentCancelled(String reason) implements ShipmentEvent {
        public ShipmentCancelled {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
