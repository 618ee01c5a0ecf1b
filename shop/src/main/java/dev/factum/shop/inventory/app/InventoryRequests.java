// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory.app;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaParticipant;
import dev.factum.saga.SagaParticipant.Answer;
import dev.factum.shop.inventory.domain.StockCommand.ReleaseStock;
import dev.factum.shop.inventory.domain.StockCommand.ReserveStock;
import dev.factum.shop.inventory.domain.StockRules;
import dev.factum.store.EventStore;
import dev.factum.transport.ConsumerOptions;

import java.util.List;
import java.util.Objects;

/**
 * The Inventory context's requests on the transport, and the participant that answers them: what another context
 * (the order saga) may ask of stock, in category {@value #CATEGORY}, answered through
 * {@link dev.factum.saga.SagaMessages} replies. The records are the contract; the context's commands stay inside it.
 *
 * <ul>
 *   <li>{@value #RESERVE} ({@link ReserveStockRequested}): reserves every line for the order, or none — a line short of
 *       stock releases the lines reserved before it and the answer is refused {@value #OUT_OF_STOCK}.</li>
 *   <li>{@value #RELEASE} ({@link ReleaseStockRequested}): gives the order's reservations back (also for lines never
 *       reserved, so a reserve still on its way is refused later); done.</li>
 * </ul>
 * Both are idempotent by order, so a redelivered or retried request has no second effect. Another rule's refusal is
 * answered refused with the rule's name.
 *
 * @since 0.1
 */
public final class InventoryRequests {
    /** The requests' stream category ({@code InventoryRequest-<orderId>}). */
    public static final String CATEGORY = "InventoryRequest";
    /** Request type: reserve an order's lines. */
    public static final String RESERVE = "ReserveStockRequested";
    /** Request type: release an order's reservations. */
    public static final String RELEASE = "ReleaseStockRequested";
    /** Refusal: a line's SKU has fewer units free than asked (or no stock set). */
    public static final String OUT_OF_STOCK = "OUT_OF_STOCK";
    /** The participant's consumer name. */
    public static final String CONSUMER = "inventory";

    /** One line to reserve: {@code quantity} units of {@code sku}. */
    public record Line(String sku, int quantity) {}

    /** {@value #RESERVE}: reserve all {@code lines} for {@code orderId}. */
    public record ReserveStockRequested(String orderId, List<Line> lines) {
        public ReserveStockRequested {
            Objects.requireNonNull(orderId, "orderId");
            lines = List.copyOf(lines);
        }
    }

    /** {@value #RELEASE}: release what {@code orderId} holds of each of {@code skus}. */
    public record ReleaseStockRequested(String orderId, List<String> skus) {
        public ReleaseStockRequested {
            Objects.requireNonNull(orderId, "orderId");
            skus = List.copyOf(skus);
        }
    }

    private InventoryRequests() {
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
                .on(RESERVE, ReserveStockRequested.class, (request, asked) -> reserve(bus, request, asked))
                .on(RELEASE, ReleaseStockRequested.class, (request, asked) -> {
                    release(bus, request.orderId(), request.skus(), asked);
                    return Answer.done();
                })
                .build();
    }

    private static Answer reserve(CommandBus bus, ReserveStockRequested request, SagaMessages.Correlation asked) {
        if (request.lines().isEmpty()) return Answer.refused("NO_LINES");
        for (Line line : request.lines()) {
            try {
                bus.send(new ReserveStock(line.sku(), request.orderId(), line.quantity()), context(asked));
            } catch (RuleViolationException e) {
                // all or nothing: this request's earlier lines are given back, since no compensation will undo them
                release(bus, request.orderId(), request.lines().stream().map(Line::sku).toList(), asked);
                return Answer.refused(e.rule().equals(StockRules.OUT_OF_STOCK) ? OUT_OF_STOCK : e.rule());
            }
        }
        return Answer.done();
    }

    private static void release(CommandBus bus, String orderId, List<String> skus, SagaMessages.Correlation asked) {
        for (String sku : skus) bus.send(new ReleaseStock(sku, orderId), context(asked));
    }

    private static CommandContext context(SagaMessages.Correlation asked) {
        return CommandContext.create().withCorrelationId(asked.sagaId());
    }
}
