// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import dev.factum.saga.SagaEngine;
import dev.factum.shop.order.app.OrderService;
import dev.factum.shop.order.domain.OrderState;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHandler;

/**
 * Follows the {@code Order} category and starts one {@link OrderSaga} per {@code OrderSubmitted} (saga id = order
 * id), with the order's lines, currency and total. A subscription with a checkpoint, so a submitted order starts its
 * saga even if the shop stopped right after the submit; a saga that exists already is left alone (a redelivered
 * event starts nothing).
 *
 * @since 0.1
 */
public final class OrderSagaStarter implements MessageHandler {
    /** The consumer's name (its checkpoint {@code transport:<name>}). */
    public static final String NAME = "order-saga-starter";

    private final OrderService orders;
    private final SagaEngine<OrderSaga.Data> engine;

    public OrderSagaStarter(OrderService orders, SagaEngine<OrderSaga.Data> engine) {
        this.orders = orders;
        this.engine = engine;
    }

    /** Its consumer: bound to {@code Order.OrderSubmitted} only, retried in place by the default policy. */
    public static ConsumerOptions options() {
        return ConsumerOptions.of(NAME, "Order.OrderSubmitted");
    }

    @Override
    public void handle(Message message) {
        if (!message.type().equals("OrderSubmitted")) return;
        String orderId = message.stream().substring(message.category().length() + 1);
        if (engine.find(orderId).isPresent()) return;
        OrderState order = orders.find(orderId).orElseThrow(() ->
                new IllegalStateException("order " + orderId + " was submitted but cannot be read")).state();
        var lines = order.items().stream().map(l -> new OrderSaga.Line(l.sku(), l.quantity())).toList();
        try {
            engine.start(orderId, new OrderSaga.Data(orderId, order.currency(), order.total(), lines, null, null));
        } catch (IllegalStateException startedMeanwhile) {
            // another starter won: one saga per order
        }
    }
}
