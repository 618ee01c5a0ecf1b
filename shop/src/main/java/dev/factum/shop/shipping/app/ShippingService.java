// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.shipping.app;

import dev.factum.aggregate.HandledCommand;
import dev.factum.aggregate.LoadedState;
import dev.factum.aggregate.Repository;
import dev.factum.aggregate.RepositoryOptions;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.shop.shipping.domain.ShipmentCommand;
import dev.factum.shop.shipping.domain.ShipmentEvent;
import dev.factum.shop.shipping.domain.ShipmentResult;
import dev.factum.shop.shipping.domain.ShipmentState;
import dev.factum.shop.shipping.domain.Shipments;
import dev.factum.store.EventStore;

import java.util.Objects;
import java.util.Optional;

/**
 * The Shipping context's command handler over one {@link EventStore}: {@link #register} adds the
 * {@link ShipmentCommand} handler to a {@link CommandBus} (load, decide, append with the loaded version; decided again
 * on a concurrent writer). Errors: {@link dev.factum.aggregate.RuleViolationException} naming a rule of
 * {@link dev.factum.shop.shipping.domain.ShipmentRules}. Thread-safe; blocking.
 *
 * @since 0.1
 */
public final class ShippingService {
    private final Repository<ShipmentState, ShipmentEvent, ShipmentCommand> shipments;

    /** The handler over {@code store}. */
    public ShippingService(EventStore store) {
        this.shipments = Repository.of(Shipments.AGGREGATE, Objects.requireNonNull(store, "store"),
                RepositoryOptions.defaults().maxAttempts(10));
    }

    /** Registers the handler of {@link ShipmentCommand} on {@code bus}; returns it. */
    public CommandBus.Builder register(CommandBus.Builder bus) {
        return bus.handler(ShipmentCommand.class, this::handle);
    }

    /** Handles {@code command} on the order's latest shipment. */
    public ShipmentResult handle(ShipmentCommand command, CommandContext context) {
        HandledCommand<ShipmentState, ShipmentEvent> handled =
                shipments.handle(command.orderId(), command, context.eventMetadata());
        return new ShipmentResult(command.orderId(), handled.version(), !handled.events().isEmpty(), handled.state());
    }

    /** The shipment of {@code orderId}; empty if none was ever created. */
    public Optional<ShipmentState> find(String orderId) {
        LoadedState<ShipmentState> loaded = shipments.load(orderId);
        return loaded.exists() ? Optional.of(loaded.state()) : Optional.empty();
    }
}
