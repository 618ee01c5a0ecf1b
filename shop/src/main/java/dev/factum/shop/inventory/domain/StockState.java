// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory.domain;

import dev.factum.shop.inventory.domain.StockEvent.StockLevelSet;
import dev.factum.shop.inventory.domain.StockEvent.StockReleased;
import dev.factum.shop.inventory.domain.StockEvent.StockReserved;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The stock of one SKU: whether an operator ever set it, the units free to reserve, the reservations held (units by
 * order id) and the orders whose reservation was released. {@link #NONE} is a SKU whose stock was never set. The
 * units on hand are {@code available + reserved()}.
 *
 * @param exists       whether the stock level was ever set
 * @param available    units free to reserve, never negative
 * @param reservations units held per order id
 * @param released     orders whose reservation was given back (a late retry of their reserve is refused)
 * @since 0.1
 */
public record StockState(boolean exists, int available, Map<String, Integer> reservations, Set<String> released) {
    /** A SKU whose stock was never set. */
    public static final StockState NONE = new StockState(false, 0, Map.of(), Set.of());

    public StockState {
        if (available < 0) throw new IllegalArgumentException("available must not be negative, was " + available);
        reservations = Map.copyOf(reservations);
        released = Set.copyOf(released);
    }

    /** The units held by all reservations. */
    public int reserved() {
        return reservations.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The state after {@code event}; an exhaustive switch. */
    public StockState evolve(StockEvent event) {
        return switch (event) {
            case StockLevelSet s -> new StockState(true, s.available(), reservations, released);
            case StockReserved r -> {
                Map<String, Integer> held = new LinkedHashMap<>(reservations);
                held.put(r.orderId(), r.quantity());
                yield new StockState(exists, available - r.quantity(), held, released);
            }
            case StockReleased r -> {
                Map<String, Integer> held = new LinkedHashMap<>(reservations);
                held.remove(r.orderId());
                Set<String> gone = new LinkedHashSet<>(released);
                gone.add(r.orderId());
                yield new StockState(exists, available + r.quantity(), held, gone);
            }
        };
    }

}
