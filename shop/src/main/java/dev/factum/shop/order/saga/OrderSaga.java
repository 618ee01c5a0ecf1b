// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaReply;
import dev.factum.saga.StepContext;
import dev.factum.shop.inventory.domain.StockCommand.ReleaseStock;
import dev.factum.shop.inventory.domain.StockCommand.ReserveStock;
import dev.factum.shop.inventory.domain.StockRules;
import dev.factum.shop.order.domain.OrderCommand.ConfirmOrder;
import dev.factum.shop.order.domain.OrderRules;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.shop.payment.app.ChargePayment;
import dev.factum.shop.payment.app.PaymentResult;
import dev.factum.shop.payment.app.RefundPayment;
import dev.factum.shop.payment.domain.PaymentStatus;
import dev.factum.shop.shipping.domain.ShipmentCommand.CancelShipment;
import dev.factum.shop.shipping.domain.ShipmentCommand.CreateShipment;
import dev.factum.shop.shipping.domain.ShipmentResult;
import dev.factum.shop.shipping.domain.ShipmentRules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The order saga ({@code OrderSaga-<orderId>}, saga id = order id): {@code reserve-stock → charge-payment →
 * create-shipment → send-confirmation}. Each participant is reached through the {@link CommandBus}; every command is
 * idempotent, so an attempt that runs again (after a timeout, a failure or a restart) has no second effect, and the
 * charge carries the step's idempotency key. A participant's "no" is a refusal with one of the reasons below; the
 * engine then compensates the completed steps in reverse (release stock, refund, cancel the shipment) and
 * {@link OrderSagaOutcomes} rejects the order with that reason.
 *
 * @since 0.1
 */
public final class OrderSaga {
    /** The saga's name: its streams' category. */
    public static final String NAME = "OrderSaga";
    /** Refusal: a line's SKU has fewer units free than ordered (or no stock set). */
    public static final String OUT_OF_STOCK = "OUT_OF_STOCK";
    /** Refusal: the payment gateway declined the charge. */
    public static final String PAYMENT_DECLINED = "PAYMENT_DECLINED";
    /** Refusal: the shipment could not be created (it was cancelled). */
    public static final String SHIPPING_FAILED = "SHIPPING_FAILED";
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
     * The definition over {@code bus}, which must route the stock, payment, shipment and order commands;
     * {@code orderStatus} reads an order's current status (to answer a confirmation that was recorded already).
     * Every attempt times out after {@link #STEP_TIMEOUT}, the charge after that plus {@code gatewayLatency}.
     */
    public static SagaDefinition<Data> definition(CommandBus bus, Function<String, Optional<OrderStatus>> orderStatus,
                                                  Duration gatewayLatency) {
        RetryPolicy steps = RetryPolicy.exponential(5, Duration.ofMillis(200), Duration.ofSeconds(5));
        return SagaDefinition.builder(NAME, Data.class)
                .step("reserve-stock").invoke((data, step) -> reserve(bus, data, step))
                    .compensate((data, step) -> release(bus, data))
                    .timeout(STEP_TIMEOUT).retry(steps)
                .step("charge-payment").invoke((data, step) -> charge(bus, data, step))
                    .compensate((data, step) -> bus.send(new RefundPayment(data.orderId()), context(step)))
                    .timeout(STEP_TIMEOUT.plus(gatewayLatency)).retry(steps)
                .step("create-shipment").invoke((data, step) -> ship(bus, data, step))
                    .compensate((data, step) -> bus.send(new CancelShipment(data.orderId(), "order saga compensated"), context(step)))
                    .timeout(STEP_TIMEOUT).retry(steps)
                .step("send-confirmation").invoke((data, step) -> confirm(bus, orderStatus, data, step))
                    .timeout(STEP_TIMEOUT).retry(steps)
                .compensationRetry(steps)
                .build();
    }

    private static SagaReply<Data> reserve(CommandBus bus, Data data, StepContext step) {
        for (Line line : data.lines()) {
            try {
                bus.send(new ReserveStock(line.sku(), data.orderId(), line.quantity()), context(step));
            } catch (RuleViolationException e) {
                if (!e.rule().equals(StockRules.OUT_OF_STOCK)) throw e;
                release(bus, data); // this step did not succeed, so no compensation will undo its earlier lines
                return SagaReply.refused(OUT_OF_STOCK);
            }
        }
        return SagaReply.done(data);
    }

    private static void release(CommandBus bus, Data data) {
        for (Line line : data.lines()) {
            bus.send(new ReleaseStock(line.sku(), data.orderId()), CommandContext.create()); // idempotent per order
        }
    }

    private static SagaReply<Data> charge(CommandBus bus, Data data, StepContext step) {
        PaymentResult result = bus.send(new ChargePayment(data.orderId(), step.idempotencyKey(), data.total(),
                data.currency()), context(step));
        if (result.status() == PaymentStatus.DECLINED) return SagaReply.refused(PAYMENT_DECLINED);
        return SagaReply.done(data.charged(result.payment().chargeId()));
    }

    private static SagaReply<Data> ship(CommandBus bus, Data data, StepContext step) {
        try {
            ShipmentResult result = bus.send(new CreateShipment(data.orderId(), CARRIER), context(step));
            return SagaReply.done(data.shipped(result.shipment().trackingNumber()));
        } catch (RuleViolationException e) {
            if (!e.rule().equals(ShipmentRules.SHIPMENT_CANCELLED)) throw e;
            return SagaReply.refused(SHIPPING_FAILED);
        }
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
