// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

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

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An order as the aggregate needs it to decide — whether it exists, its customer, currency, status and lines (one per
 * SKU, in the order they were first added) — and, once the order saga rejected it, why. Payment, shipment and
 * cancellation details live in the events and the read models, not here. {@link #NONE} is the state of an order that
 * was never created. JSON-friendly (no {@code Optional} fields) so that it can be snapshotted; a snapshot written
 * before {@code rejectionReason} existed reads back with it empty.
 *
 * @param exists          whether the order was created
 * @param customerId      the customer; empty for {@link #NONE}
 * @param currency        ISO-4217 code of every amount in the order; empty for {@link #NONE}
 * @param status          the lifecycle status ({@code DRAFT} for {@link #NONE}, which has no lifecycle yet)
 * @param items           one line per SKU
 * @param rejectionReason the reason of its {@code OrderRejected} ({@code OUT_OF_STOCK}, {@code PAYMENT_DECLINED}, …)
 *                        when {@code status} is {@code REJECTED}; empty otherwise
 * @since 0.1
 */
public record OrderState(boolean exists, String customerId, String currency, OrderStatus status, List<OrderLine> items,
                         String rejectionReason) {
    /** The state of an order that was never created. */
    public static final OrderState NONE = new OrderState(false, "", "", OrderStatus.DRAFT, List.of());

    public OrderState {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        items = List.copyOf(items);
        if (rejectionReason == null) rejectionReason = ""; // a snapshot from before the field
    }

    /** A state without a rejection reason (any status but {@code REJECTED}). */
    public OrderState(boolean exists, String customerId, String currency, OrderStatus status, List<OrderLine> items) {
        this(exists, customerId, currency, status, items, "");
    }

    /** The sum of the lines' subtotals, exact. */
    public BigDecimal total() {
        return items.stream().map(OrderLine::subtotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The line of {@code sku}, if ordered. */
    public Optional<OrderLine> line(String sku) {
        return items.stream().filter(line -> line.sku().equals(sku)).findFirst();
    }

    /** The state after {@code event}; an exhaustive switch, so a new event does not compile until it is handled. */
    public OrderState evolve(OrderEvent event) {
        return switch (event) {
            case OrderCreated c -> new OrderState(true, c.customerId(), c.currency(), OrderStatus.DRAFT, c.items());
            case OrderItemAdded a -> withItems(added(items, new OrderLine(a.sku(), a.quantity(), a.unitPrice())));
            case OrderItemRemoved r -> withItems(items.stream().filter(line -> !line.sku().equals(r.sku())).toList());
            case OrderSubmitted s -> withStatus(OrderStatus.SUBMITTED);
            case PaymentReceived p -> withStatus(OrderStatus.PAID);
            case OrderShipped s -> withStatus(OrderStatus.SHIPPED);
            case OrderDelivered d -> withStatus(OrderStatus.DELIVERED);
            case OrderCancelled c -> withStatus(OrderStatus.CANCELLED);
            case OrderConfirmed c -> withStatus(OrderStatus.CONFIRMED);
            case OrderRejected r -> new OrderState(exists, customerId, currency, OrderStatus.REJECTED, items, r.reason());
        };
    }

    /** {@code lines} with {@code line} added: a new line at the end, or its quantity added to the line of its SKU. */
    static List<OrderLine> added(List<OrderLine> lines, OrderLine line) {
        List<OrderLine> result = new ArrayList<>(lines.size() + 1);
        boolean merged = false;
        for (OrderLine existing : lines) {
            if (existing.sku().equals(line.sku())) {
                result.add(new OrderLine(existing.sku(), existing.quantity() + line.quantity(), existing.unitPrice()));
                merged = true;
            } else {
                result.add(existing);
            }
        }
        if (!merged) result.add(line);
        return result;
    }

    private OrderState withItems(List<OrderLine> lines) {
        return new OrderState(exists, customerId, currency, status, lines, rejectionReason);
    }

    private OrderState withStatus(OrderStatus next) {
        return new OrderState(exists, customerId, currency, next, items, rejectionReason);
    }
}
