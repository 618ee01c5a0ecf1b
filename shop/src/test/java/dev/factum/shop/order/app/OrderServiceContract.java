// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.app;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.command.CommandInterceptors;
import dev.factum.command.InMemoryCommandResultStore;
import dev.factum.event.Metadata;
import dev.factum.event.RecordedEvent;
import dev.factum.shop.order.domain.OrderCommand.AddItem;
import dev.factum.shop.order.domain.OrderCommand.CancelOrder;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.DeliverOrder;
import dev.factum.shop.order.domain.OrderCommand.PayOrder;
import dev.factum.shop.order.domain.OrderCommand.RemoveItem;
import dev.factum.shop.order.domain.OrderCommand.ShipOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderEvent;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.order.domain.OrderResult;
import dev.factum.shop.order.domain.OrderRules;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.shop.order.domain.Orders;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.WrongExpectedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Order context's write side through a real {@link CommandBus} and aggregate repository, over the store a
 * subclass opens (in memory, SQLite): results, stored events and their metadata, refusals, optimistic concurrency.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class OrderServiceContract {
    static final String ID = "o-1";
    static final BigDecimal PRICE = new BigDecimal("19.99");

    EventStore store;
    InterferingStore interfering;
    OrderService orders;
    CommandBus bus;

    /** A new, empty store for one test. */
    abstract EventStore openStore();

    @BeforeEach
    void start() {
        store = openStore();
        interfering = new InterferingStore(store);
        orders = new OrderService(interfering);
        bus = orders.register(CommandBus.builder())
                .interceptor(CommandInterceptors.idempotency(new InMemoryCommandResultStore()))
                .build();
    }

    @AfterEach
    void stop() {
        store.close();
    }

    OrderResult create() {
        return bus.send(new CreateOrder(ID, "c-1", "EUR", List.of(new OrderLine("SKU-1", 2, PRICE))), CommandContext.create());
    }

    List<RecordedEvent> stored() {
        return store.readStream(Orders.AGGREGATE.streamId(ID), ReadStreamOptions.forward());
    }

    @Nested
    class Sending_commands {
        @Test
        void the_whole_lifecycle_answers_each_new_version_position_and_state() {
            OrderResult created = create();
            assertThat(created.version()).isEqualTo(1);
            assertThat(created.state().status()).isEqualTo(OrderStatus.DRAFT);

            OrderResult added = bus.send(new AddItem(ID, "SKU-2", 1, new BigDecimal("0.02")), CommandContext.create());
            OrderResult removed = bus.send(new RemoveItem(ID, "SKU-2"), CommandContext.create());
            OrderResult submitted = bus.send(new SubmitOrder(ID), CommandContext.create());
            OrderResult paid = bus.send(new PayOrder(ID, "p-1", new BigDecimal("39.98")), CommandContext.create());
            OrderResult shipped = bus.send(new ShipOrder(ID, "T-1", "DHL"), CommandContext.create());
            OrderResult delivered = bus.send(new DeliverOrder(ID), CommandContext.create());

            assertThat(List.of(added, removed, submitted, paid, shipped, delivered))
                    .extracting(OrderResult::version).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(delivered.state().status()).isEqualTo(OrderStatus.DELIVERED);
            assertThat(delivered.state().total()).isEqualByComparingTo("39.98");
            List<RecordedEvent> events = stored();
            assertThat(events).extracting(RecordedEvent::type).containsExactly("OrderCreated", "OrderItemAdded",
                    "OrderItemRemoved", "OrderSubmitted", "PaymentReceived", "OrderShipped", "OrderDelivered");
            assertThat(delivered.position()).isEqualTo(events.getLast().position()); // what a read model must reach
            assertThat(orders.find(ID)).hasValueSatisfying(loaded -> {
                assertThat(loaded.version()).isEqualTo(7);
                assertThat(loaded.state()).isEqualTo(delivered.state());
            });
        }

        @Test
        void events_carry_the_commands_correlation_causation_and_user() {
            create();
            CommandContext context = CommandContext.create().withCorrelationId("checkout-1").withUserId("u-7");

            bus.send(new CancelOrder(ID, "changed my mind"), context);

            Metadata cancelled = stored().getLast().metadata();
            assertThat(cancelled.correlationId()).isEqualTo("checkout-1");
            assertThat(cancelled.causationId()).isEqualTo(context.commandId().toString());
            assertThat(cancelled.userId()).contains("u-7");
            assertThat(Orders.AGGREGATE.codec().decode(stored().getLast(), OrderEvent.class))
                    .isEqualTo(new OrderEvent.OrderCancelled("changed my mind"));
        }

        @Test
        void a_broken_rule_reaches_the_sender_by_name_and_writes_nothing() {
            create();

            assertThatThrownBy(() -> bus.send(new PayOrder(ID, "p-1", new BigDecimal("39.98")), CommandContext.create()))
                    .isInstanceOfSatisfying(RuleViolationException.class,
                            e -> assertThat(e.rule()).isEqualTo(OrderRules.ORDER_NOT_SUBMITTED));
            assertThat(stored()).hasSize(1);
        }

        @Test
        void a_command_on_an_unknown_order_is_refused_as_not_found() {
            assertThatThrownBy(() -> bus.send(new SubmitOrder("nope"), CommandContext.create()))
                    .isInstanceOfSatisfying(RuleViolationException.class,
                            e -> assertThat(e.rule()).isEqualTo(OrderRules.ORDER_NOT_FOUND));
            assertThat(orders.find("nope")).isEmpty();
        }

        @Test
        void a_resent_command_with_the_same_id_appends_once_and_answers_the_first_result() {
            create();
            CommandContext context = CommandContext.create();

            OrderResult first = bus.send(new AddItem(ID, "SKU-1", 1, PRICE), context);
            OrderResult again = bus.send(new AddItem(ID, "SKU-1", 1, PRICE), context);

            assertThat(again).isEqualTo(first);
            assertThat(stored()).hasSize(2);
            assertThat(first.state().items()).containsExactly(new OrderLine("SKU-1", 3, PRICE));
        }

        @Test
        void a_concurrent_writer_makes_the_command_decide_again_on_the_newer_state() {
            create();
            interfering.beforeNextAppend(new OrderEvent.OrderItemAdded("SKU-1", 5, PRICE));

            OrderResult added = bus.send(new AddItem(ID, "SKU-1", 1, PRICE), CommandContext.create());

            assertThat(added.version()).isEqualTo(3);
            assertThat(added.state().items()).containsExactly(new OrderLine("SKU-1", 8, PRICE));
        }
    }

    @Nested
    class Sending_with_an_expected_version {
        @Test
        void at_the_current_version_the_command_applies() {
            long version = create().version();

            OrderResult submitted = bus.send(new ExpectingVersion(new SubmitOrder(ID), version), CommandContext.create());

            assertThat(submitted.version()).isEqualTo(version + 1);
            assertThat(submitted.state().status()).isEqualTo(OrderStatus.SUBMITTED);
            assertThat(submitted.position()).isEqualTo(stored().getLast().position());
        }

        @Test
        void a_stale_version_is_refused_with_wrong_expected_version_and_writes_nothing() {
            long seen = create().version();
            bus.send(new AddItem(ID, "SKU-2", 1, PRICE), CommandContext.create());

            assertThatThrownBy(() -> bus.send(new ExpectingVersion(new SubmitOrder(ID), seen), CommandContext.create()))
                    .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                        assertThat(e.expected()).isEqualTo(ExpectedVersion.exactly(seen));
                        assertThat(e.actual()).isEqualTo(2);
                        assertThat(e.stream()).isEqualTo(Orders.AGGREGATE.streamId(ID));
                    });
            assertThat(stored()).hasSize(2);
        }

        @Test
        void a_stale_version_wins_over_a_broken_rule() {
            long seen = create().version();
            bus.send(new SubmitOrder(ID), CommandContext.create());

            assertThatThrownBy(() -> bus.send(new ExpectingVersion(new AddItem(ID, "SKU-2", 1, PRICE), seen),
                    CommandContext.create())).isInstanceOf(WrongExpectedVersionException.class);
        }

        @Test
        void a_writer_between_load_and_append_is_not_retried_over() {
            long seen = create().version();
            interfering.beforeNextAppend(new OrderEvent.OrderItemAdded("SKU-1", 5, PRICE));

            assertThatThrownBy(() -> bus.send(new ExpectingVersion(new SubmitOrder(ID), seen), CommandContext.create()))
                    .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actual()).isEqualTo(2));
            assertThat(stored()).extracting(RecordedEvent::type).containsExactly("OrderCreated", "OrderItemAdded");
        }

        @Test
        void an_unknown_order_is_still_not_found() {
            assertThatThrownBy(() -> bus.send(new ExpectingVersion(new SubmitOrder("nope"), 3), CommandContext.create()))
                    .isInstanceOfSatisfying(RuleViolationException.class,
                            e -> assertThat(e.rule()).isEqualTo(OrderRules.ORDER_NOT_FOUND));
        }

        @Test
        void events_carry_the_commands_metadata_too() {
            long version = create().version();
            CommandContext context = CommandContext.create().withUserId("u-9");

            bus.send(new ExpectingVersion(new CancelOrder(ID, "no longer needed"), version), context);

            Metadata cancelled = stored().getLast().metadata();
            assertThat(cancelled.causationId()).isEqualTo(context.commandId().toString());
            assertThat(cancelled.correlationId()).isEqualTo(context.correlationId());
            assertThat(cancelled.userId()).contains("u-9");
        }
    }
}
