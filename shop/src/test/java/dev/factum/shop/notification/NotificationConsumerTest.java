// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.notification;

import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetters;
import dev.factum.retry.RetryPolicy;
import dev.factum.shop.notification.app.NotificationConsumer;
import dev.factum.shop.notification.domain.Notification;
import dev.factum.shop.notification.domain.NotificationKind;
import dev.factum.shop.notification.view.NotificationLog;
import dev.factum.shop.order.app.OrderService;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.order.domain.OrderCommand.PayOrder;
import dev.factum.shop.order.domain.OrderCommand.ShipOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notification context consuming the Order context's events over the in-process transport, on a SQLite store:
 * one notification per event through the inbox, nothing twice on redelivery, bad events parked as dead letters while
 * the others flow.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NotificationConsumerTest {
    @TempDir
    Path dir;
    private SqliteEventStore store;
    private NotificationLog log;
    private NotificationConsumer consumer;
    private InProcessTransport transport;

    @BeforeEach
    void open() {
        store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")));
        String url = "jdbc:sqlite:" + dir.resolve("shop.db");
        log = new NotificationLog(Optional.empty(), () -> DriverManager.getConnection(url));
        log.createTable();
        consumer = new NotificationConsumer(store.inbox(), log, Clock.systemUTC());
        transport = new InProcessTransport(store, store.checkpointStore(), store.deadLetterStore(), Clock.systemUTC(),
                duration -> { }, Duration.ofMillis(50)); // retries without waiting: the policy is tested in core
    }

    @AfterEach
    void close() {
        transport.close();
        store.close();
    }

    @Test
    void each_order_event_a_customer_hears_about_gives_one_notification() {
        OrderService orders = new OrderService(store);
        CommandBus bus = orders.register(CommandBus.builder()).build();
        bus.send(new CreateOrder("o-1", "c-1", "EUR", List.of(new OrderLine("SKU-1", 2, new BigDecimal("19.99")))),
                CommandContext.create());
        bus.send(new SubmitOrder("o-1"), CommandContext.create());
        bus.send(new PayOrder("o-1", "p-1", new BigDecimal("39.98")), CommandContext.create());
        bus.send(new ShipOrder("o-1", "T-1", "DHL"), CommandContext.create());

        try (MessageConsumer running = transport.consume(NotificationConsumer.options(), consumer)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> log.forOrder("o-1").size() == 3);
            assertThat(running.status().handled()).isEqualTo(3); // OrderCreated is not bound
        }
        assertThat(log.forOrder("o-1")).extracting(Notification::kind).containsExactly(
                NotificationKind.ORDER_RECEIVED, NotificationKind.PAYMENT_CONFIRMED, NotificationKind.ORDER_SHIPPED);
        assertThat(log.forOrder("o-1").get(2).text()).isEqualTo("Your order o-1 is on its way with DHL, tracking number T-1.");
    }

    @Test
    void a_redelivered_event_sends_nothing_twice() throws Exception {
        store.append(StreamId.parse("Order-o-2"), ExpectedVersion.any(),
                List.of(new NewEvent("OrderSubmitted", "{\"total\":10.5}", Metadata.create())));
        Message message = Message.of(store.readAll(dev.factum.store.ReadAllOptions.fromStart()).getFirst());

        consumer.handle(message);
        consumer.handle(message); // the broker delivered it again

        assertThat(log.forOrder("o-2")).hasSize(1);
        assertThat(log.forOrder("o-2").getFirst().text()).isEqualTo("We received your order o-2 (total 10.5).");
        assertThat(store.inbox().contains(NotificationConsumer.NAME, message.messageId())).isTrue();
    }

    @Test
    void an_event_without_what_the_notification_needs_is_a_dead_letter_and_the_others_flow() {
        StreamId stream = StreamId.parse("Order-o-3");
        store.append(stream, ExpectedVersion.any(), List.of(
                new NewEvent("OrderShipped", "{\"carrier\":\"DHL\"}", Metadata.create()),  // no tracking number
                new NewEvent("OrderDelivered", "{}", Metadata.create())));
        DeadLetters deadLetters = new DeadLetters(store.deadLetterStore());

        try (MessageConsumer running = transport.consume(
                NotificationConsumer.options().withRetry(RetryPolicy.noRetry()), consumer)) {
            deadLetters.register(running);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.forOrder("o-3").size() == 1);
            assertThat(log.forOrder("o-3").getFirst().kind()).isEqualTo(NotificationKind.ORDER_DELIVERED);

            List<DeadLetter> parked = deadLetters.list(DeadLetterQuery.all().consumer(NotificationConsumer.NAME));
            assertThat(parked).hasSize(1);
            assertThat(parked.getFirst().messageType()).contains("OrderShipped");
            assertThat(parked.getFirst().reason()).contains("has no trackingNumber");
        }
    }
}
