// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory.domain;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.RuleViolationException;
import dev.factum.shop.inventory.domain.StockCommand.ReleaseStock;
import dev.factum.shop.inventory.domain.StockCommand.ReserveStock;
import dev.factum.shop.inventory.domain.StockCommand.SetStockLevel;
import dev.factum.shop.inventory.domain.StockEvent.StockLevelSet;
import dev.factum.shop.inventory.domain.StockEvent.StockReleased;
import dev.factum.shop.inventory.domain.StockEvent.StockReserved;

import java.util.List;

import static dev.factum.shop.inventory.domain.StockRules.*;

/**
 * The Stock aggregate: streams {@code Stock-<sku>}, initial state {@link StockState#NONE}. Decides at most one event
 * per command; an idempotent repeat decides none. Refusals are {@link RuleViolationException}s naming a rule of
 * {@link StockRules}. Because a reservation is decided on the loaded version and appended with it, two concurrent
 * reservations cannot both take the last units: the loser's append is refused and the repository decides again on
 * the new stock — so stock is never negative.
 *
 * @since 0.1
 */
public final class Stocks {
    /** The stream category of stock. */
    public static final String CATEGORY = "Stock";

    /** The aggregate definition; its codec stores the {@link StockEvent} records under their simple names. */
    public static final Aggregate<StockState, StockEvent, StockCommand> AGGREGATE =
            Aggregate.builder(CATEGORY, StockState.class, StockEvent.class, StockCommand.class)
                    .initialState(StockState.NONE)
                    .evolve(StockState::evolve)
                    .decide(Stocks::decide)
                    .build();

    private Stocks() {
    }

    /**
     * The events {@code command} causes on {@code stock}: one, or none for an idempotent repeat.
     *
     * @throws RuleViolationException if a rule of {@link StockRules} refuses it
     */
    public static List<StockEvent> decide(StockState stock, StockCommand command) {
        requireText(command.sku(), SKU_REQUIRED, "sku");
        return switch (command) {
            case SetStockLevel s -> setLevel(stock, s);
            case ReserveStock r -> reserve(stock, r);
            case ReleaseStock r -> release(stock, r);
        };
    }

    private static List<StockEvent> setLevel(StockState stock, SetStockLevel s) {
        if (s.available() < 0) {
            throw refuse(LEVEL_MUST_NOT_BE_NEGATIVE, "available of " + s.sku() + " must be 0 or more, was " + s.available());
        }
        if (stock.exists() && stock.available() == s.available()) return List.of();
        return List.of(new StockLevelSet(s.available()));
    }

    private static List<StockEvent> reserve(StockState stock, ReserveStock r) {
        requireText(r.orderId(), ORDER_ID_REQUIRED, "order id");
        if (r.quantity() <= 0) {
            throw refuse(QUANTITY_MUST_BE_POSITIVE, "quantity of " + r.sku() + " must be positive, was " + r.quantity());
        }
        Integer held = stock.reservations().get(r.orderId());
        if (held != null) {
            if (held == r.quantity()) return List.of();
            throw refuse(RESERVATION_MISMATCH, "order " + r.orderId() + " already holds " + held + " of " + r.sku()
                    + ", not " + r.quantity());
        }
        if (stock.released().contains(r.orderId())) {
            throw refuse(RESERVATION_RELEASED, "the reservation of " + r.sku() + " for order " + r.orderId()
                    + " was already released");
        }
        if (!stock.exists()) throw refuse(OUT_OF_STOCK, "no stock of " + r.sku() + " was ever set");
        if (r.quantity() > stock.available()) {
            throw refuse(OUT_OF_STOCK, r.quantity() + " of " + r.sku() + " asked, " + stock.available() + " available");
        }
        return List.of(new StockReserved(r.orderId(), r.quantity()));
    }

    private static List<StockEvent> release(StockState stock, ReleaseStock r) {
        requireText(r.orderId(), ORDER_ID_REQUIRED, "order id");
        Integer held = stock.reservations().get(r.orderId());
        if (held != null) return List.of(new StockReleased(r.orderId(), held));
        if (stock.released().contains(r.orderId()) || !stock.exists()) return List.of(); // nothing to give back
        // never reserved, yet released: a reserve still on its way (a retry that timed out) must not take units
        // after its compensation ran, so the release is recorded (0 units) and that late reserve is refused
        return List.of(new StockReleased(r.orderId(), 0));
    }
}
