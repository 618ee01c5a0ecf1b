// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping.app;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaParticipant;
import dev.factum.saga.SagaParticipant.Answer;
import dev.factum.shop.shipping.domain.ShipmentCommand.CancelShipment;
import dev.factum.shop.shipping.domain.ShipmentCommand.CreateShipment;
import dev.factum.shop.shipping.domain.ShipmentResult;
import dev.factum.shop.shipping.domain.ShipmentRules;
import dev.factum.store.EventStore;
import dev.factum.transport.ConsumerOptions;

import java.util.Objects;

/**
 * The Shipping context's requests on the transport, and the participant that answers them, in category
 * {@value #CATEGORY}:
 * <ul>
 *   <li>{@value #CREATE} ({@link ShipmentRequested}): creates the order's shipment (idempotent by order); done with
 *       {@link Shipped}, or refused {@value #SHIPPING_FAILED} if the order's shipment was cancelled.</li>
 *   <li>{@value #CANCEL} ({@link ShipmentCancellationRequested}): cancels it (recorded also if none was created, so a
 *       create still on its way is refused); done.</li>
 * </ul>
 * Another shipping rule's refusal is answered refused with the rule's name.
 *
 * @since 0.1
 */
public final class ShippingRequests {
    /** The requests' stream category ({@code ShippingRequest-<orderId>}). */
    public static final String CATEGORY = "ShippingRequest";
    /** Request type: create an order's shipment. */
    public static final String CREATE = "ShipmentRequested";
    /** Request type: cancel an order's shipment. */
    public static final String CANCEL = "ShipmentCancellationRequested";
    /** Refusal: the shipment could not be created (it was cancelled). */
    public static final String SHIPPING_FAILED = "SHIPPING_FAILED";
    /** The participant's consumer name. */
    public static final String CONSUMER = "shipping";

    /** {@value #CREATE}: ship {@code orderId} with {@code carrier}. */
    public record ShipmentRequested(String orderId, String carrier) {
        public ShipmentRequested {
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    /** The result of a done {@value #CREATE}: the shipment's tracking number. */
    public record Shipped(String trackingNumber) {}

    /** {@value #CANCEL}: cancel the shipment of {@code orderId} for {@code reason}. */
    public record ShipmentCancellationRequested(String orderId, String reason) {
        public ShipmentCancellationRequested {
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    private ShippingRequests() {
    }

    /**
     * The consumer of every request of the category; on the in-process transport up to 64 orders' requests are
     * handled side by side (each order's in order), since the context's commands are safe under concurrency.
     */
    public static ConsumerOptions consumer() {
        return ConsumerOptions.of(CONSUMER, CATEGORY + ".*").withConcurrency(64);
    }

    /** The participant: sends the context's commands on {@code bus}, appends its replies to {@code store}. */
    public static SagaParticipant participant(EventStore store, CommandBus bus) {
        return SagaParticipant.builder(store)
                .on(CREATE, ShipmentRequested.class, (request, asked) -> create(bus, request, asked))
                .on(CANCEL, ShipmentCancellationRequested.class, (request, asked) -> {
                    try {
                        bus.send(new CancelShipment(request.orderId(), request.reason() == null ? "" : request.reason()),
                                context(asked));
                        return Answer.done();
                    } catch (RuleViolationException e) {
                        return Answer.refused(e.rule());
                    }
                })
                .build();
    }

    private static Answer create(CommandBus bus, ShipmentRequested request, SagaMessages.Correlation asked) {
        try {
            ShipmentResult result = bus.send(new CreateShipment(request.orderId(),
                    request.carrier() == null ? "" : request.carrier()), context(asked));
            return Answer.done(new Shipped(result.shipment().trackingNumber()));
        } catch (RuleViolationException e) {
            return Answer.refused(e.rule().equals(ShipmentRules.SHIPMENT_CANCELLED) ? SHIPPING_FAILED : e.rule());
        }
    }

    private static CommandContext context(SagaMessages.Correlation asked) {
        return CommandContext.create().withCorrelationId(asked.sagaId());
    }
}
