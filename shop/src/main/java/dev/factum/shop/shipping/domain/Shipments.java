// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping.domain;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.RuleViolationException;
import dev.factum.shop.shipping.domain.ShipmentCommand.CancelShipment;
import dev.factum.shop.shipping.domain.ShipmentCommand.CreateShipment;
import dev.factum.shop.shipping.domain.ShipmentEvent.ShipmentCancelled;
import dev.factum.shop.shipping.domain.ShipmentEvent.ShipmentCreated;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static dev.factum.shop.shipping.domain.ShipmentRules.*;

/**
 * The Shipment aggregate: streams {@code Shipment-<orderId>}, initial state {@link ShipmentState#NONE}. Decides at
 * most one event per command; a repeat decides none. The tracking number is generated from the order id
 * ({@link #trackingNumber}), so a retried create — even one decided twice by concurrent writers — gets the same one.
 *
 * @since 0.1
 */
public final class Shipments {
    /** The stream category of shipments. */
    public static final String CATEGORY = "Shipment";

    /** The aggregate definition; its codec stores the {@link ShipmentEvent} records under their simple names. */
    public static final Aggregate<ShipmentState, ShipmentEvent, ShipmentCommand> AGGREGATE =
            Aggregate.builder(CATEGORY, ShipmentState.class, ShipmentEvent.class, ShipmentCommand.class)
                    .initialState(ShipmentState.NONE)
                    .evolve(ShipmentState::evolve)
                    .decide(Shipments::decide)
                    .build();

    private Shipments() {
    }

    /**
     * The events {@code command} causes on {@code shipment}: one, or none for a repeat.
     *
     * @throws RuleViolationException if a rule of {@link ShipmentRules} refuses it
     */
    public static List<ShipmentEvent> decide(ShipmentState shipment, ShipmentCommand command) {
        requireText(command.orderId(), ORDER_ID_REQUIRED, "order id");
        return switch (command) {
            case CreateShipment c -> {
                requireText(c.carrier(), CARRIER_REQUIRED, "carrier");
                yield switch (shipment.status()) {
                    case NONE -> List.of(new ShipmentCreated(trackingNumber(c.orderId()), c.carrier()));
                    case CREATED -> List.of();
                    case CANCELLED -> throw new RuleViolationException(SHIPMENT_CANCELLED,
                            "the shipment of order " + c.orderId() + " was cancelled");
                };
            }
            case CancelShipment c -> {
                requireText(c.reason(), CANCEL_REASON_REQUIRED, "reason");
                // a cancellation before any shipment is recorded too: a create still on its way is then refused
                yield shipment.status() == ShipmentStatus.CANCELLED ? List.of() : List.of(new ShipmentCancelled(c.reason()));
            }
        };
    }

    /**
     * The tracking number of order {@code orderId}'s shipment: {@code TRK-} and 16 hex digits of a name-based UUID of
     * the order id — the same for the same order, distinct across orders with overwhelming likelihood.
     */
    public static String trackingNumber(String orderId) {
        UUID uuid = UUID.nameUUIDFromBytes(("shipment:" + orderId).getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "TRK-%016X", uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits());
    }
}
