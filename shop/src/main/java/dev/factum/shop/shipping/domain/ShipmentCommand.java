// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping.domain;

import dev.factum.command.Command;

import java.util.Objects;

/**
 * What is asked of the shipment of order {@link #orderId()} (the aggregate instance id: stream
 * {@code Shipment-<orderId>}). Both commands are idempotent by order id. The records refuse only nulls; the rules are
 * {@link Shipments#decide}'s, named in {@link ShipmentRules}.
 *
 * @since 0.1
 */
public sealed interface ShipmentCommand extends Command<ShipmentResult> {

    /** The order; the aggregate instance id. */
    String orderId();

    /** Creates the order's shipment with {@code carrier}; creating it again answers the shipment already created. */
    record CreateShipment(String orderId, String carrier) implements ShipmentCommand {
        public CreateShipment {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(carrier, "carrier");
        }
    }

    /**
     * Cancels the order's shipment for {@code reason}; cancelling again has no effect. Cancelling a shipment never
     * created records the cancellation, so a create arriving later (a retried request still on its way) is refused.
     */
    record CancelShipment(String orderId, String reason) implements ShipmentCommand {
        public CancelShipment {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
