// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.RuleViolationException;
import dev.factum.shop.order.domain.OrderCommand.AddItem;
import dev.factum.shop.order.domain.OrderCommand.CancelOrder;
import dev.factum.shop.order.domain.OrderCommand.ConfirmOrder;
import dev.factum.shop.order.domain.OrderCommand.RejectOrder;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.DeliverOrder;
import dev.factum.shop.order.domain.OrderCommand.PayOrder;
import dev.factum.shop.order.domain.OrderCommand.RemoveItem;
import dev.factum.shop.order.domain.OrderCommand.ShipOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderEvent.OrderCancelled;
import dev.factum.shop.order.domain.OrderEvent.OrderConfirmed;
import dev.factum.shop.order.domain.OrderEvent.OrderRejected;
import dev.factum.shop.order.domain.OrderEvent.OrderCreated;
import dev.factum.shop.order.domain.OrderEvent.OrderDelivered;
import dev.factum.shop.order.domain.OrderEvent.OrderItemAdded;
import dev.factum.shop.order.domain.OrderEvent.OrderItemRemoved;
import dev.factum.shop.order.domain.OrderEvent.OrderShipped;
import dev.factum.shop.order.domain.OrderEvent.OrderSubmitted;
import dev.factum.shop.order.domain.OrderEvent.PaymentReceived;

import java.util.ArrayList;
import java.util.List;

import static dev.factum.shop.order.domain.OrderRules.*;

/**
 * The Order aggregate: streams {@code Order-<orderId>}, initial state {@link OrderState#NONE}, {@link OrderState#evolve}
 * and {@link #decide}. Every accepted command causes exactly one event; every refusal is a
 * {@link RuleViolationException} naming a rule of {@link OrderRules}. Checks run in this order: the order exists (or,
 * for create, does not), the status allows the command, then the command's values.
 *
 * <p>Adding a SKU that is already ordered adds to its line's quantity; the unit price must be the line's (compared by
 * value), since one line has one price. A create listing a SKU twice is read the same way.
 *
 * @since 0.1
 */
public final class Orders {
    /** The stream category of orders. */
    public static final String CATEGORY = "Order";

    /** The aggregate definition; its codec stores the {@link OrderEvent} records under their simple names. */
    public static final Aggregate<OrderState, OrderEvent, OrderCommand> AGGREGATE =
            Aggregate.builder(CATEGORY, OrderState.class, OrderEvent.class, OrderCommand.class)
                    .initialState(OrderState.NONE)
                    .evolve(OrderState::evolve)
                    .decide(Orders::decide)
                    .build();

    private Orders() {
    }

    /**
     * The event {@code command} causes on {@code order}.
     *
     * @throws RuleViolationException if a rule of {@link OrderRules} refuses it
     */
    public static List<OrderEvent> decide(OrderState order, OrderCommand command) {
        if (command instanceof CreateOrder create) return List.of(create(order, create));
        if (!order.exists()) throw refuse(ORDER_NOT_FOUND, "order " + command.orderId() + " does not exist");
        return List.of(switch (command) {
            case CreateOrder c -> throw new IllegalStateException("handled above");
            case AddItem a -> addItem(order, a);
            case RemoveItem r -> removeItem(order, r);
            case SubmitOrder s -> submit(order);
            case PayOrder p -> pay(order, p);
            case ShipOrder s -> ship(order, s);
            case DeliverOrder d -> deliver(order);
            case CancelOrder c -> cancel(order, c);
            case ConfirmOrder c -> confirm(order, c);
            case RejectOrder r -> reject(order, r);
        });
    }

    private static OrderEvent create(OrderState order, CreateOrder c) {
        if (order.exists()) throw refuse(ORDER_ALREADY_EXISTS, "order " + c.orderId() + " already exists");
        requireText(c.customerId(), CUSTOMER_REQUIRED, "customer id");
        requireCurrency(c.currency());
        List<OrderLine> lines = new ArrayList<>();
        for (OrderLine line : c.items()) {
            requireLine(line);
            requireSamePrice(lines, line);
            lines = OrderState.added(lines, line);
        }
        for (OrderLine line : lines) {
            if (line.quantity() > MAX_QUANTITY) throw refuse(QUANTITY_TOO_LARGE, "quantity of " + line.sku() + " must be at most " + MAX_QUANTITY);
        }
        return new OrderCreated(c.customerId(), c.currency(), lines);
    }

    private static OrderEvent addItem(OrderState order, AddItem a) {
        requireEditable(order);
        OrderLine line = new OrderLine(a.sku(), a.quantity(), a.unitPrice());
        requireLine(line);
        requireSamePrice(order.items(), line);
        int already = order.line(a.sku()).map(OrderLine::quantity).orElse(0);
        if ((long) already + a.quantity() > MAX_QUANTITY) {
            throw refuse(QUANTITY_TOO_LARGE, "quantity of " + a.sku() + " must be at most " + MAX_QUANTITY);
        }
        return new OrderItemAdded(a.sku(), a.quantity(), a.unitPrice());
    }

    private static OrderEvent removeItem(OrderState order, RemoveItem r) {
        requireEditable(order);
        if (order.line(r.sku()).isEmpty()) throw refuse(ITEM_NOT_IN_ORDER, r.sku() + " is not in order " + r.orderId());
        return new OrderItemRemoved(r.sku());
    }

    private static OrderEvent submit(OrderState order) {
        requireEditable(order);
        if (order.items().isEmpty()) throw refuse(ORDER_EMPTY, "an order without items cannot be submitted");
        return new OrderSubmitted(order.total());
    }

    private static OrderEvent pay(OrderState order, PayOrder p) {
        switch (order.status()) {
            case DRAFT -> throw refuse(ORDER_NOT_SUBMITTED, "only a submitted order can be paid");
            case PAID, SHIPPED, DELIVERED, CONFIRMED -> throw refuse(ORDER_ALREADY_PAID, "the order is already paid");
            case CANCELLED -> throw cancelled();
            case REJECTED -> throw rejected();
            case SUBMITTED -> { }
        }
        requireText(p.paymentId(), PAYMENT_ID_REQUIRED, "payment id");
        requireAmount(p.amount(), "amount");
        if (p.amount().compareTo(order.total()) != 0) {
            throw refuse(PAYMENT_MUST_MATCH_TOTAL, "payment of " + p.amount().toPlainString() + " " + order.currency()
                    + " does not match the total " + order.total().toPlainString());
        }
        return new PaymentReceived(p.paymentId(), p.amount());
    }

    private static OrderEvent ship(OrderState order, ShipOrder s) {
        switch (order.status()) {
            case DRAFT, SUBMITTED -> throw refuse(ORDER_NOT_PAID, "only a paid order can be shipped");
            case SHIPPED, DELIVERED, CONFIRMED -> throw refuse(ORDER_ALREADY_SHIPPED, "the order is already shipped");
            case CANCELLED -> throw cancelled();
            case REJECTED -> throw rejected();
            case PAID -> { }
        }
        requireText(s.trackingNumber(), SHIPMENT_DETAILS_REQUIRED, "tracking number");
        requireText(s.carrier(), SHIPMENT_DETAILS_REQUIRED, "carrier");
        return new OrderShipped(s.trackingNumber(), s.carrier());
    }

    private static OrderEvent deliver(OrderState order) {
        return switch (order.status()) {
            case DRAFT, SUBMITTED, PAID -> throw refuse(ORDER_NOT_SHIPPED, "only a shipped order can be delivered");
            case DELIVERED -> throw refuse(ORDER_ALREADY_DELIVERED, "the order is already delivered");
            case CANCELLED -> throw cancelled();
            case REJECTED -> throw rejected();
            case SHIPPED, CONFIRMED -> new OrderDelivered();
        };
    }

    private static OrderEvent cancel(OrderState order, CancelOrder c) {
        switch (order.status()) {
            case SHIPPED, DELIVERED, CONFIRMED -> throw refuse(ORDER_ALREADY_SHIPPED, "a shipped order cannot be cancelled");
            case CANCELLED -> throw refuse(ORDER_ALREADY_CANCELLED, "the order is already cancelled");
            case REJECTED -> throw rejected();
            case DRAFT, SUBMITTED, PAID -> { }
        }
        requireText(c.reason(), CANCEL_REASON_REQUIRED, "reason");
        return new OrderCancelled(c.reason());
    }

    private static OrderEvent confirm(OrderState order, ConfirmOrder c) {
        requireUndecided(order);
        requireText(c.trackingNumber(), SHIPMENT_DETAILS_REQUIRED, "tracking number");
        return new OrderConfirmed(c.trackingNumber());
    }

    private static OrderEvent reject(OrderState order, RejectOrder r) {
        requireUndecided(order);
        requireText(r.reason(), CANCEL_REASON_REQUIRED, "reason");
        return new OrderRejected(r.reason());
    }

    /** The saga's outcome is recorded on a submitted order (or one an operator marked paid meanwhile), once. */
    private static void requireUndecided(OrderState order) {
        switch (order.status()) {
            case DRAFT -> throw refuse(ORDER_NOT_SUBMITTED, "only a submitted order can be confirmed or rejected");
            case CANCELLED -> throw cancelled();
            case REJECTED, CONFIRMED, SHIPPED, DELIVERED ->
                    throw refuse(ORDER_ALREADY_DECIDED, "the order is already " + order.status());
            case SUBMITTED, PAID -> { }
        }
    }

    private static RuleViolationException rejected() {
        return refuse(ORDER_REJECTED, "the order was rejected");
    }

    private static void requireEditable(OrderState order) {
        switch (order.status()) {
            case DRAFT -> { }
            case CANCELLED -> throw cancelled();
            case REJECTED -> throw rejected();
            case SUBMITTED, PAID, SHIPPED, DELIVERED, CONFIRMED ->
                    throw refuse(ORDER_ALREADY_SUBMITTED, "items cannot change once the order is submitted");
        }
    }

    private static void requireSamePrice(List<OrderLine> lines, OrderLine line) {
        for (OrderLine existing : lines) {
            if (existing.sku().equals(line.sku()) && existing.unitPrice().compareTo(line.unitPrice()) != 0) {
                throw refuse(UNIT_PRICE_MUST_MATCH, line.sku() + " is ordered at " + existing.unitPrice().toPlainString()
                        + ", not " + line.unitPrice().toPlainString());
            }
        }
    }

    private static RuleViolationException cancelled() {
        return refuse(ORDER_CANCELLED, "the order is cancelled");
    }
}
