// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.app;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.HandledCommand;
import dev.factum.aggregate.LoadedState;
import dev.factum.aggregate.Repository;
import dev.factum.aggregate.RepositoryOptions;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.event.NewEvent;
import dev.factum.shop.order.domain.OrderCommand;
import dev.factum.shop.order.domain.OrderEvent;
import dev.factum.shop.order.domain.OrderResult;
import dev.factum.shop.order.domain.OrderState;
import dev.factum.shop.order.domain.Orders;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.WrongExpectedVersionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Order context's command handlers over one {@link EventStore}. {@link #register} adds them to a
 * {@link CommandBus}: every {@link OrderCommand}, handled by the aggregate {@link Repository} (load, decide, append with
 * the loaded version; retried on a concurrent writer as {@link RepositoryOptions} say), and
 * {@link ExpectingVersion}, handled once against the version the client saw. Each event gets the command's
 * {@link CommandContext#eventMetadata()}: its correlation id, its id as causation id, its user.
 *
 * <p>Errors propagate unchanged: {@link dev.factum.aggregate.RuleViolationException} with a rule of
 * {@link dev.factum.shop.order.domain.OrderRules} (nothing written), {@link WrongExpectedVersionException} when a
 * concurrent writer won every attempt or an expected version is stale. Thread-safe; blocking.
 *
 * @since 0.1
 */
public final class OrderService {
    private final EventStore store;
    private final Repository<OrderState, OrderEvent, OrderCommand> orders;

    /** Handlers over {@code store}, with the repository {@code options} (retries, snapshots). */
    public OrderService(EventStore store, RepositoryOptions options) {
        this.store = Objects.requireNonNull(store, "store");
        this.orders = Repository.of(Orders.AGGREGATE, store, options);
    }

    /** Handlers over {@code store} with {@link RepositoryOptions#defaults()}. */
    public OrderService(EventStore store) {
        this(store, RepositoryOptions.defaults());
    }

    /** Registers the handlers of {@link OrderCommand} and {@link ExpectingVersion} on {@code bus}; returns it. */
    public CommandBus.Builder register(CommandBus.Builder bus) {
        return bus.handler(OrderCommand.class, this::handle)
                .handler(ExpectingVersion.class, this::handle);
    }

    /**
     * Handles {@code command} on the order's latest version, retried on a concurrent writer.
     *
     * @throws dev.factum.aggregate.RuleViolationException if an order rule refuses it; nothing written
     * @throws WrongExpectedVersionException               if a concurrent writer won every attempt
     */
    public OrderResult handle(OrderCommand command, CommandContext context) {
        HandledCommand<OrderState, OrderEvent> handled = orders.handle(command.orderId(), command, context.eventMetadata());
        AppendResult append = handled.append().orElseThrow(() -> new IllegalStateException(
                "the order aggregate decided no events for " + command)); // decide always answers one event
        return new OrderResult(command.orderId(), handled.version(), append.lastPosition(), handled.state());
    }

    /**
     * Handles the command only if the order is at the expected version; never retried.
     *
     * @throws dev.factum.aggregate.RuleViolationException if the order does not exist ({@code order-not-found}) or an
     *                                                     order rule refuses the command; nothing written
     * @throws WrongExpectedVersionException               if the order is at another version, on load or on append
     */
    public OrderResult handle(ExpectingVersion expecting, CommandContext context) {
        OrderCommand command = expecting.command();
        Aggregate<OrderState, OrderEvent, OrderCommand> aggregate = orders.aggregate();
        LoadedState<OrderState> loaded = orders.load(command.orderId());
        ExpectedVersion expected = ExpectedVersion.exactly(expecting.version());
        if (loaded.exists() && loaded.version() != expecting.version()) {
            throw new WrongExpectedVersionException(loaded.stream(), expected, loaded.version());
        }
        List<OrderEvent> events = aggregate.decide(loaded.state(), command); // order-not-found before a version check
        if (!loaded.exists()) throw new WrongExpectedVersionException(loaded.stream(), expected, 0);
        List<NewEvent> encoded = new ArrayList<>(events.size());
        for (OrderEvent event : events) encoded.add(aggregate.codec().encode(event, context.eventMetadata()));
        AppendResult append = store.append(loaded.stream(), expected, encoded);
        return new OrderResult(command.orderId(), append.lastVersion(), append.lastPosition(),
                aggregate.fold(loaded.state(), events));
    }

    /** The order {@code orderId} as the aggregate sees it now, with its version; empty if it was never created. */
    public Optional<LoadedState<OrderState>> find(String orderId) {
        LoadedState<OrderState> loaded = orders.load(orderId);
        return loaded.exists() ? Optional.of(loaded) : Optional.empty();
    }
}
