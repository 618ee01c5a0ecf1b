// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.query.QueryBus;
import dev.factum.shop.order.app.OrderService;
import dev.factum.shop.order.domain.OrderCommand;
import dev.factum.shop.order.domain.OrderCommand.AddItem;
import dev.factum.shop.order.domain.OrderCommand.CancelOrder;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.PayOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.order.domain.OrderResult;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.Projections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order read models driven end to end: commands through {@link OrderService}'s {@link CommandBus}, the
 * {@link OrderListProjection} run by {@link Projections} over a real store, queries through a {@link QueryBus} after
 * {@link Projections#awaitCheckpoint} to the command's position. Subclasses give the store and its view database.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class OrderViewContract {
    private static final BigDecimal PRICE = new BigDecimal("19.99");

    EventStore store;
    Projections projections;
    CommandBus commands;
    QueryBus queries;

    /** A fresh, empty store. */
    abstract EventStore openStore();

    /** The store's checkpoint store (whose transactions the read model shares). */
    abstract CheckpointStore checkpoints(EventStore store);

    /** Where the read model's tables of {@code store} are. */
    abstract ViewDatabase database(EventStore store);

    @BeforeEach
    void open() {
        store = openStore();
        ViewDatabase database = database(store);
        OrderListProjection projection = new OrderListProjection(database);
        projections = Projections.builder(store, checkpoints(store)).add(projection)
                .pollInterval(Duration.ofMillis(50)).build();
        commands = new OrderService(store).register(CommandBus.builder()).build();
        queries = new OrderQueries(store, projections, projection, database).register(QueryBus.builder()).build();
        projections.start();
    }

    @AfterEach
    void close() throws Exception {
        projections.close();
        store.close();
    }

    /** Sends the command and waits until the read model shows it (read-your-writes). */
    private OrderResult send(OrderCommand command, CommandContext context) {
        OrderResult result = commands.send(command, context);
        assertThat(projections.awaitCheckpoint(OrderListProjection.NAME, result.position(), Duration.ofSeconds(10))).isTrue();
        return result;
    }

    private OrderResult send(OrderCommand command) {
        return send(command, CommandContext.create());
    }

    private OrderResult create(String id, String customer) {
        return send(new CreateOrder(id, customer, "EUR", List.of(new OrderLine("SKU-1", 2, PRICE))));
    }

    private static List<String> ids(OrderPage page) {
        return page.items().stream().map(OrderSummary::orderId).toList();
    }

    @Nested
    class ListOrders_ {
        @BeforeEach
        void orders() {
            create("o-1", "c-1");
            create("o-2", "c-2");
            create("o-3", "c-1");
            create("o-4", "c-1");
            create("o-5", "c-2");
            send(new SubmitOrder("o-3"));
            send(new SubmitOrder("o-5"));
            send(new PayOrder("o-5", "p-1", new BigDecimal("39.98")));
            send(new CancelOrder("o-4", "changed my mind"));
        }

        @Test
        void lists_every_order_newest_first_with_its_row() {
            OrderPage page = queries.ask(ListOrders.all(0, 10));

            assertThat(ids(page)).containsExactly("o-5", "o-4", "o-3", "o-2", "o-1");
            assertThat(page.total()).isEqualTo(5);
            OrderSummary paid = page.items().get(0);
            assertThat(paid.customerId()).isEqualTo("c-2");
            assertThat(paid.currency()).isEqualTo("EUR");
            assertThat(paid.status()).isEqualTo(OrderStatus.PAID);
            assertThat(paid.total()).isEqualByComparingTo("39.98");
            assertThat(paid.itemCount()).isEqualTo(2);
            assertThat(paid.version()).isEqualTo(3);
            assertThat(paid.lastUpdated()).isNotNull();
        }

        @Test
        void filters_by_status_and_by_customer_and_by_both() {
            assertThat(ids(queries.ask(new ListOrders(Optional.of(OrderStatus.DRAFT), Optional.empty(), 0, 10))))
                    .containsExactly("o-2", "o-1");
            assertThat(ids(queries.ask(new ListOrders(Optional.empty(), Optional.of("c-1"), 0, 10))))
                    .containsExactly("o-4", "o-3", "o-1");
            OrderPage both = queries.ask(new ListOrders(Optional.of(OrderStatus.CANCELLED), Optional.of("c-1"), 0, 10));
            assertThat(ids(both)).containsExactly("o-4");
            assertThat(both.total()).isEqualTo(1);
            assertThat(queries.ask(new ListOrders(Optional.of(OrderStatus.SHIPPED), Optional.empty(), 0, 10)).items()).isEmpty();
        }

        @Test
        void pages_with_the_total_count_of_every_page() {
            OrderPage first = queries.ask(ListOrders.all(0, 2));
            OrderPage last = queries.ask(ListOrders.all(2, 2));
            OrderPage beyond = queries.ask(ListOrders.all(3, 2));

            assertThat(ids(first)).containsExactly("o-5", "o-4");
            assertThat(ids(queries.ask(ListOrders.all(1, 2)))).containsExactly("o-3", "o-2");
            assertThat(ids(last)).containsExactly("o-1");
            assertThat(beyond.items()).isEmpty();
            assertThat(List.of(first.total(), last.total(), beyond.total())).containsOnly(5L);
            assertThat(ids(queries.ask(new ListOrders(Optional.empty(), Optional.of("c-1"), 1, 2)))).containsExactly("o-1");
        }

        @Test
        void a_rebuild_switches_to_a_list_equal_to_the_live_one() {
            OrderPage before = queries.ask(ListOrders.all(0, 100));

            assertThat(projections.rebuild(OrderListProjection.NAME)).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> projections.activeGeneration(OrderListProjection.NAME) == 2);

            assertThat(queries.ask(ListOrders.all(0, 100))).isEqualTo(before);
            OrderResult later = send(new SubmitOrder("o-1"));
            assertThat(queries.ask(new GetOrder("o-1")).orElseThrow().summary().version()).isEqualTo(later.version());
        }
    }

    @Nested
    class ListOrders_while_orders_are_written {
        @Test
        void each_page_and_its_total_come_from_one_snapshot() throws Exception {
            // given a writer creating orders one by one, each soon committed to the read model by the projection
            int orders = 60; // fewer than a page holds: every page read must show all `total` orders
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().name("order-writer").start(() -> {
                try {
                    for (int i = 0; i < orders; i++) {
                        commands.send(new CreateOrder("w-" + i, "c-w", "EUR", List.of(new OrderLine("SKU-1", 1, PRICE))),
                                CommandContext.create());
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            // when pages are read meanwhile, until the read model shows every order
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // a bounded wait
            int reads = 0;
            OrderPage page;
            do {
                page = queries.ask(ListOrders.all(0, ListOrders.MAX_SIZE));
                reads++;
                // then no page has more or fewer rows than its total says: both were read at once
                assertThat(page.items()).as("page %d of a total of %d", reads, page.total()).hasSize((int) page.total());
            } while (page.total() < orders && failure.get() == null && System.nanoTime() < deadline);
            writer.join(Duration.ofSeconds(30));
            assertThat(failure.get()).isNull();
            assertThat(page.total()).isEqualTo(orders);
        }
    }

    @Nested
    class GetOrder_ {
        @Test
        void shows_the_state_and_every_event_with_its_metadata() throws Exception {
            CommandContext checkout = CommandContext.create().withCorrelationId("checkout-1").withUserId("u-7");
            OrderResult created = send(new CreateOrder("o-1", "c-1", "EUR", List.of(new OrderLine("SKU-1", 2, PRICE))),
                    checkout);
            CommandContext adding = checkout.nextCommand();
            send(new AddItem("o-1", "SKU-2", 3, new BigDecimal("0.50")), adding);
            OrderResult submitted = send(new SubmitOrder("o-1"));

            OrderDetail detail = queries.ask(new GetOrder("o-1")).orElseThrow();

            assertThat(detail.summary().status()).isEqualTo(OrderStatus.SUBMITTED);
            assertThat(detail.summary().total()).isEqualByComparingTo("41.48");
            assertThat(detail.summary().itemCount()).isEqualTo(5);
            assertThat(detail.summary().version()).isEqualTo(3);
            assertThat(detail.items()).containsExactly(new OrderLine("SKU-1", 2, PRICE),
                    new OrderLine("SKU-2", 3, new BigDecimal("0.50")));
            assertThat(detail.history()).extracting(OrderHistoryEntry::type)
                    .containsExactly("OrderCreated", "OrderItemAdded", "OrderSubmitted");
            assertThat(detail.history()).extracting(OrderHistoryEntry::version).containsExactly(1L, 2L, 3L);
            assertThat(detail.history().get(0).position()).isEqualTo(created.position());
            assertThat(detail.history().get(2).position()).isEqualTo(submitted.position());
            OrderHistoryEntry first = detail.history().get(0);
            assertThat(first.correlationId()).isEqualTo("checkout-1");
            assertThat(first.causationId()).isEqualTo(checkout.commandId().toString());
            assertThat(first.userId()).contains("u-7");
            JsonNode payload = new ObjectMapper().readTree(first.payload()); // PostgreSQL re-formats stored JSON
            assertThat(payload.get("customerId").asText()).isEqualTo("c-1");
            assertThat(payload.get("items").get(0).get("sku").asText()).isEqualTo("SKU-1");
            assertThat(detail.history().get(1).correlationId()).isEqualTo("checkout-1");
            assertThat(detail.history().get(1).causationId()).isEqualTo(adding.commandId().toString());
            assertThat(detail.history().get(2).userId()).isEmpty();
        }

        @Test
        void is_empty_for_an_order_the_read_model_does_not_show() {
            create("o-1", "c-1");

            assertThat(queries.ask(new GetOrder("nope"))).isEmpty();
        }

        @Test
        void never_shows_history_beyond_the_state_it_shows() {
            OrderResult created = create("o-1", "c-1");
            projections.stop();
            OrderResult submitted = commands.send(new SubmitOrder("o-1"), CommandContext.create());

            OrderDetail detail = queries.ask(new GetOrder("o-1")).orElseThrow();

            assertThat(detail.summary().version()).isEqualTo(created.version());
            assertThat(detail.history()).hasSize(1);
            projections.start();
            assertThat(projections.awaitCheckpoint(OrderListProjection.NAME, submitted.position(), Duration.ofSeconds(10))).isTrue();
            assertThat(queries.ask(new GetOrder("o-1")).orElseThrow().history()).hasSize(2);
        }
    }
}
