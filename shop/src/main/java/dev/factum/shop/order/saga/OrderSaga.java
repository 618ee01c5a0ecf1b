// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaReply;
import dev.factum.saga.StepContext;
import dev.factum.shop.inventory.app.InventoryRequests;
import dev.factum.shop.inventory.app.InventoryRequests.ReleaseStockRequested;
import dev.factum.shop.inventory.app.InventoryRequests.ReserveStockRequested;
import dev.factum.shop.order.domain.OrderCommand.ConfirmOrder;
import dev.factum.shop.order.domain.OrderRules;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.shop.payment.app.PaymentRequests;
import dev.factum.shop.payment.app.PaymentRequests.ChargeRequested;
import dev.factum.shop.payment.app.PaymentRequests.Charged;
import dev.factum.shop.payment.app.PaymentRequests.RefundRequested;
import dev.factum.shop.shipping.app.ShippingRequests;
import dev.factum.shop.shipping.app.ShippingRequests.ShipmentCancellationRequested;
import dev.factum.shop.shipping.app.ShippingRequests.ShipmentRequested;
import dev.factum.shop.shipping.app.ShippingRequests.Shipped;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import dev.factum.transport.ConsumerOptions;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The order saga ({@code OrderSaga-<orderId>}, saga id = order id): {@code reserve-stock → charge-payment →
 * create-shipment → send-confirmation}. Inventory, Payment and Shipping are other contexts, reached only through the
 * transport: each step appends its request ({@link InventoryRequests}, {@link PaymentRequests},
 * {@link ShippingRequests}) to the store — the outbox the in-process transport reads and the relay publishes to a
 * broker — and waits for the participant's reply on {@code OrderSagaReply.*}; the charge's and the shipment's
 * results (charge id, tracking number) are folded into the saga's data. Their compensations (release, refund,
 * cancel) are requests too. Every request carries the step's idempotency key and every participant is idempotent by
 * order, so an attempt that runs again (after a timeout or a restart) has no second effect. The confirmation is the
 * Order context's own command, sent on the {@link CommandBus}. A participant's "no" is a refusal with one of the
 * reasons below; the engine then compensates in reverse and {@link OrderSagaOutcomes} rejects the order with it.
 *
 * @since 0.1
 */
public final class OrderSaga {
    /** The saga's name: its streams' category. */
    public static final String NAME = "OrderSaga";
    /** The category the participants reply to ({@code OrderSagaReply-<orderId>}). */
    public static final String REPLIES = SagaMessages.replyCategory(NAME);
    /** The consumer of the replies (over the integration transport). */
    public static final String REPLY_CONSUMER = "order-saga-replies";
    /** Refusal: a line's SKU has fewer units free than ordered (or no stock set). */
    public static final String OUT_OF_STOCK = InventoryRequests.OUT_OF_STOCK;
    /** Refusal: the payment gateway declined the charge. */
    public static final String PAYMENT_DECLINED = PaymentRequests.PAYMENT_DECLINED;
    /** Refusal: the shipment could not be created (it was cancelled). */
    public static final String SHIPPING_FAILED = ShippingRequests.SHIPPING_FAILED;
    /** Refusal: the order moved on (cancelled by an operator) before the saga could confirm it. */
    public static final String ORDER_CLOSED = "ORDER_CLOSED";
    /**
     * How long the engine waits for one attempt of a step (or a compensation) before it counts it as timed out and
     * runs it again — also how long an attempt cut off by a crash or a shutdown waits before it runs after a restart.
     */
    public static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);
    /** The carrier every shipment is created with. */
    public static final String CARRIER = "DHL";

    /**
     * The saga's data.
     *
     * @param orderId        the order (and saga) id
     * @param currency       the order's currency
     * @param total          what to charge
     * @param lines          what to reserve
     * @param chargeId       the gateway's charge id once charged
     * @param trackingNumber the shipment's tracking number once created
     */
    public record Data(String orderId, String currency, BigDecimal total, List<Line> lines, String chargeId,
                       String trackingNumber) {
        public Data {
            Objects.requireNonNull(orderId, "orderId");
            lines = List.copyOf(lines);
        }

        Data charged(String id) {
            return new Data(orderId, currency, total, lines, id, trackingNumber);
        }

        Data shipped(String tracking) {
            return new Data(orderId, currency, total, lines, chargeId, tracking);
        }
    }

    /** One line to reserve: {@code quantity} units of {@code sku}. */
    public record Line(String sku, int quantity) {}

    private OrderSaga() {
    }

    /**
     * The definition: requests are appended to {@code outbox}; {@code bus} must route the order commands (for the
     * confirmation); {@code orderStatus} reads an order's current status (to answer a confirmation that was recorded
     * already). Every attempt times out after {@link #STEP_TIMEOUT}, the charge after that plus {@code gatewayLatency}.
     */
    public static SagaDefinition<Data> definition(EventStore outbox, CommandBus bus,
                                                  Function<String, Optional<OrderStatus>> orderStatus,
                                                  Duration gatewayLatency) {
        Objects.requireNonNull(outbox, "outbox");
        RetryPolicy steps = RetryPolicy.exponential(5, Duration.ofMillis(200), Duration.ofSeconds(5));
        return SagaDefinition.builder(NAME, Data.class)
                .step("reserve-stock").invoke((data, step) -> ask(outbox, step, InventoryRequests.CATEGORY,
                        InventoryRequests.RESERVE, new ReserveStockRequested(data.orderId(), data.lines().stream()
                                .map(l -> new InventoryRequests.Line(l.sku(), l.quantity())).toList())))
                    .compensateRemotely((data, step) -> ask(outbox, step, InventoryRequests.CATEGORY,
                        InventoryRequests.RELEASE, new ReleaseStockRequested(data.orderId(),
                                data.lines().stream().map(Line::sku).distinct().toList())))
                    .timeout(STEP_TIMEOUT).retry(steps)
                .step("charge-payment").invoke((data, step) -> ask(outbox, step, PaymentRequests.CATEGORY,
                        PaymentRequests.CHARGE, new ChargeRequested(data.orderId(), data.total(), data.currency())))
                    .onDone(Charged.class, (data, charged) -> data.charged(charged.chargeId()))
                    .compensateRemotely((data, step) -> ask(outbox, step, PaymentRequests.CATEGORY,
                        PaymentRequests.REFUND, new RefundRequested(data.orderId())))
                    .timeout(STEP_TIMEOUT.plus(gatewayLatency)).retry(steps)
                .step("create-shipment").invoke((data, step) -> ask(outbox, step, ShippingRequests.CATEGORY,
                        ShippingRequests.CREATE, new ShipmentRequested(data.orderId(), CARRIER)))
                    .onDone(Shipped.class, (data, shipped) -> data.shipped(shipped.trackingNumber()))
                    .compensateRemotely((data, step) -> ask(outbox, step, ShippingRequests.CATEGORY,
                        ShippingRequests.CANCEL, new ShipmentCancellationRequested(data.orderId(), "order saga compensated")))
                    .timeout(STEP_TIMEOUT).retry(steps)
                .step("send-confirmation").invoke((data, step) -> confirm(bus, orderStatus, data, step))
                    .timeout(STEP_TIMEOUT).retry(steps)
                .compensationRetry(steps)
                .build();
    }

    /**
     * The consumer of the participants' replies: named {@value #REPLY_CONSUMER}, bound to {@code OrderSagaReply.*};
     * on the in-process transport up to 64 sagas' replies are delivered side by side (each saga's in order).
     */
    public static ConsumerOptions replyConsumer() {
        return ConsumerOptions.of(REPLY_CONSUMER, REPLIES + ".*").withConcurrency(64);
    }

    /** Appends the request of {@code step}'s attempt to {@code <category>-<orderId>}; the reply comes later. */
    private static SagaReply<Data> ask(EventStore outbox, StepContext step, String category, String type, Object request) {
        outbox.append(StreamId.of(category, step.sagaId()), ExpectedVersion.any(),
                List.of(SagaMessages.request(NAME, step, type, request)));
        return SagaReply.awaiting();
    }

    private static SagaReply<Data> confirm(CommandBus bus, Function<String, Optional<OrderStatus>> orderStatus,
                                           Data data, StepContext step) {
        if (orderStatus.apply(data.orderId()).orElse(null) == OrderStatus.CONFIRMED) return SagaReply.done(data); // an earlier attempt did it
        try {
            bus.send(new ConfirmOrder(data.orderId(), data.trackingNumber()), context(step));
            return SagaReply.done(data);
        } catch (RuleViolationException e) {
            if (e.rule().equals(OrderRules.ORDER_CANCELLED) || e.rule().equals(OrderRules.ORDER_ALREADY_DECIDED)) {
                return SagaReply.refused(ORDER_CLOSED);
            }
            throw e;
        }
    }

    private static CommandContext context(StepContext step) {
        return CommandContext.create().withCorrelationId(step.sagaId());
    }
}
