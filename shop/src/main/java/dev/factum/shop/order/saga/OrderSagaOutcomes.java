// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaState;
import dev.factum.shop.order.domain.OrderCommand.RejectOrder;
import dev.factum.shop.order.domain.OrderRules;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHandler;

import java.util.Set;

/**
 * Follows the saga category and rejects the order of every saga that ended compensated
 * ({@code SagaCompensated}), with the saga's failure as the reason: {@code OUT_OF_STOCK}, {@code PAYMENT_DECLINED},
 * {@code SHIPPING_FAILED} or {@code ORDER_CLOSED} as the participants refused, else {@code STEP_FAILED} for a technical
 * failure that exhausted a step's retries (the error itself is in the saga's timeline). A consumer of the in-process transport (it reads
 * the store from its checkpoint, outside any store transaction), so a rejection is sent at least once — again after a restart; a repeat is refused by the order as
 * already decided and ignored.
 *
 * @since 0.1
 */
public final class OrderSagaOutcomes implements MessageHandler {
    /** The consumer's name (its checkpoint {@code transport:<name>}). */
    public static final String NAME = "order-saga-outcomes";
    private static final Set<String> REASONS = Set.of(OrderSaga.OUT_OF_STOCK, OrderSaga.PAYMENT_DECLINED,
            OrderSaga.SHIPPING_FAILED, OrderSaga.ORDER_CLOSED);

    private final CommandBus bus;
    private final SagaEngine<OrderSaga.Data> engine;

    public OrderSagaOutcomes(CommandBus bus, SagaEngine<OrderSaga.Data> engine) {
        this.bus = bus;
        this.engine = engine;
    }

    /** Its consumer: bound to {@code OrderSaga.SagaCompensated} only, retried in place by the default policy. */
    public static ConsumerOptions options() {
        return ConsumerOptions.of(NAME, "OrderSaga.SagaCompensated");
    }

    @Override
    public void handle(Message message) {
        if (!message.type().equals("SagaCompensated")) return;
        String orderId = message.stream().substring(message.category().length() + 1);
        String failure = engine.find(orderId).flatMap(SagaState::failure).orElse("");
        String reason = REASONS.contains(failure) ? failure : "STEP_FAILED";
        try {
            bus.send(new RejectOrder(orderId, reason), CommandContext.create().withCorrelationId(orderId));
        } catch (RuleViolationException e) {
            if (!e.rule().equals(OrderRules.ORDER_ALREADY_DECIDED) && !e.rule().equals(OrderRules.ORDER_CANCELLED)) {
                throw e;
            }
        }
    }
}
