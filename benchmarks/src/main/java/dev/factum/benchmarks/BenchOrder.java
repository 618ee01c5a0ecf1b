// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.Command;
import dev.factum.store.Position;

import java.util.List;

/**
 * W3's aggregate, local to the benchmarks: an order that is placed once. {@link Place} carries the same
 * {@link OrderPlaced} payload the other workloads write; its handler answers with the position of the event, which
 * is what a caller needs for read-your-writes ({@code Projections.awaitCheckpoint}).
 */
final class BenchOrder {
    static final String CATEGORY = "Order";

    /** Place the order {@code order.orderId()}; refused if that order is placed already. */
    record Place(OrderPlaced order) implements Command<Position> {
    }

    /** Whether the order is placed. */
    record State(boolean placed) {
    }

    static final Aggregate<State, OrderPlaced, Place> AGGREGATE = Aggregate
            .builder(CATEGORY, State.class, OrderPlaced.class, Place.class)
            .initialState(new State(false))
            .evolve((state, event) -> new State(true))
            .decide((state, command) -> {
                if (state.placed()) {
                    throw new RuleViolationException("placed-once",
                            "order " + command.order().orderId() + " is placed already");
                }
                return List.of(command.order());
            })
            .codec(AppendPlan.CODEC)
            .build();

    private BenchOrder() {
    }
}
