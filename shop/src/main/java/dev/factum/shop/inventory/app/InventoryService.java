// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory.app;

import dev.factum.aggregate.HandledCommand;
import dev.factum.aggregate.LoadedState;
import dev.factum.aggregate.Repository;
import dev.factum.aggregate.RepositoryOptions;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.event.RecordedEvent;
import dev.factum.shop.inventory.domain.StockCommand;
import dev.factum.shop.inventory.domain.StockEvent;
import dev.factum.shop.inventory.domain.StockResult;
import dev.factum.shop.inventory.domain.StockState;
import dev.factum.shop.inventory.domain.Stocks;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Inventory context's command handlers and reads over one {@link EventStore}. {@link #register} adds the
 * {@link StockCommand} handler to a {@link CommandBus}; each command is load, decide, append with the loaded version,
 * and decided again when a concurrent writer appended first — up to {@link #MAX_ATTEMPTS} times, enough for every
 * reservation of a contended SKU to see the stock another one left (a refusal appends nothing, so each retry means
 * another command succeeded). Errors propagate unchanged: {@link dev.factum.aggregate.RuleViolationException} naming a
 * rule of {@link dev.factum.shop.inventory.domain.StockRules}, {@link dev.factum.store.WrongExpectedVersionException}
 * if concurrent writers won every attempt.
 *
 * <p>{@link #all()} reads the whole {@code Stock} category on each call and folds it in memory: no projection to
 * keep, exact and current, but its cost grows with every stock event ever stored (levels, reservations, releases) —
 * fine for the reference shop and an operator's occasional look; a busy shop would add a projection. Thread-safe;
 * blocking.
 *
 * @since 0.1
 */
public final class InventoryService {
    /** How many times a stock command is decided in all when appends keep meeting a concurrent writer. */
    public static final int MAX_ATTEMPTS = 100;
    private static final int PAGE = 1_000;

    private final EventStore store;
    private final Repository<StockState, StockEvent, StockCommand> stock;

    /** Handlers over {@code store}, deciding a command up to {@link #MAX_ATTEMPTS} times. */
    public InventoryService(EventStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.stock = Repository.of(Stocks.AGGREGATE, store, RepositoryOptions.defaults().maxAttempts(MAX_ATTEMPTS));
    }

    /** Registers the handler of {@link StockCommand} on {@code bus}; returns it. */
    public CommandBus.Builder register(CommandBus.Builder bus) {
        return bus.handler(StockCommand.class, this::handle);
    }

    /**
     * Handles {@code command} on the SKU's latest stock, decided again on a concurrent writer.
     *
     * @throws dev.factum.aggregate.RuleViolationException if a stock rule refuses it; nothing written
     * @throws dev.factum.store.WrongExpectedVersionException if a concurrent writer won every attempt
     */
    public StockResult handle(StockCommand command, CommandContext context) {
        HandledCommand<StockState, StockEvent> handled = stock.handle(command.sku(), command, context.eventMetadata());
        return new StockResult(command.sku(), handled.version(), !handled.events().isEmpty(), handled.state());
    }

    /** The stock of {@code sku} now; empty if no level was ever set (nor anything else stored) for it. */
    public Optional<StockState> find(String sku) {
        LoadedState<StockState> loaded = stock.load(sku);
        return loaded.exists() ? Optional.of(loaded.state()) : Optional.empty();
    }

    /** Every SKU with stored stock, by SKU, from the {@code Stock} category read now. */
    public Map<String, StockState> all() {
        Map<String, StockState> bySku = new TreeMap<>();
        Position after = Position.BEGINNING;
        while (true) {
            List<RecordedEvent> page = store.readAll(ReadAllOptions.after(after).category(Stocks.CATEGORY).limit(PAGE));
            for (RecordedEvent recorded : page) {
                StockEvent event = Stocks.AGGREGATE.codec().decode(recorded, StockEvent.class);
                bySku.compute(recorded.stream().id(), (sku, state) -> (state == null ? StockState.NONE : state).evolve(event));
            }
            if (page.size() < PAGE) return bySku;
            after = page.get(page.size() - 1).position();
        }
    }
}
