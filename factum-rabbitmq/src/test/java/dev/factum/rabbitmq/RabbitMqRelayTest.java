// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import dev.factum.event.NewEvent;
import dev.factum.relay.Relay;
import dev.factum.retry.RetryPolicy;
import dev.factum.sqlite.SqliteInbox;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay (over a SQLite store) forwarding to a consumer through the real broker, also across a broker restart, and a
 * consumer whose effect is made exactly once by the SQLite inbox.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RabbitMqRelayTest {
    private static final int STREAMS = 20;

    @TempDir
    Path dir;
    private SqliteEventStore store;
    private RabbitFixture rabbit;
    private Relay relay;

    @BeforeEach
    void open() {
        store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("store.db")));
        rabbit = new RabbitFixture();
    }

    @AfterEach
    void close() throws Exception {
        if (relay != null) relay.close();
        rabbit.close();
        store.close();
    }

    /** Appends {@code count} events round-robin over the streams, ten per append; returns their ids. */
    private List<UUID> append(int from, int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = from; i < from + count; i += 10) {
            StreamId stream = StreamId.of("Order", Integer.toString((i / 10) % STREAMS));
            List<NewEvent> events = new ArrayList<>();
            for (int j = i; j < Math.min(i + 10, from + count); j++) {
                NewEvent event = NewEvent.of("OrderLineAdded", "{\"line\":" + j + "}");
                events.add(event);
                ids.add(event.eventId());
            }
            store.append(stream, ExpectedVersion.any(), events);
        }
        return ids;
    }

    private Relay startRelay() {
        relay = Relay.builder("orders", store, store.checkpointStore(), rabbit.transport)
                .batchSize(100).pollInterval(Duration.ofMillis(100)).retryDelay(Duration.ofMillis(200)).build().start();
        return relay;
    }

    @Test
    void the_relay_forwards_1000_events_to_a_consumer_in_order_per_stream() {
        List<Message> received = new CopyOnWriteArrayList<>();
        rabbit.consume(ConsumerOptions.of("billing", "Order.*"), received::add);
        List<UUID> appended = append(0, 1_000);

        startRelay();

        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 1_000);
        assertThat(received).extracting(Message::messageId).containsExactlyInAnyOrderElementsOf(appended);
        Map<String, Long> lastPosition = new HashMap<>();
        for (Message message : received) {
            Long previous = lastPosition.put(message.stream(), message.position());
            if (previous != null) assertThat(message.position()).as("order within " + message.stream()).isGreaterThan(previous);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.status().lag() == 0);
        assertThat(relay.status().published()).isEqualTo(1_000);
    }

    @Test
    void a_broker_restart_while_the_relay_publishes_loses_nothing_and_the_flow_resumes_by_itself() throws Exception {
        Set<UUID> received = ConcurrentHashMap.newKeySet();
        AtomicLong deliveries = new AtomicLong();
        MessageConsumer consumer = rabbit.consume(ConsumerOptions.of("billing", "Order.*"), m -> {
            deliveries.incrementAndGet();
            received.add(m.messageId());
        });
        List<UUID> appended = new CopyOnWriteArrayList<>();
        startRelay();
        // the application keeps writing, ten events every 10 ms, before, during and after the restart
        Thread writer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 1_000; i += 10) {
                appended.addAll(append(i, 10));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 150);

        boolean stopped = false;
        long receivedBeforeStop = received.size();
        try {
            Broker.rabbitmqctl("stop_app");
            stopped = true;
            appended.addAll(append(1_000, 50)); // surely written while the broker is away
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.status().lastError().isPresent());
            assertThat(consumer.status().running()).as("consumer while the broker is down").isFalse();
        } finally {
            if (stopped) Broker.rabbitmqctl("start_app");
        }
        writer.join();

        await().atMost(Duration.ofSeconds(90)).until(() -> received.size() == 1_050);
        assertThat(received).containsExactlyInAnyOrderElementsOf(appended);
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.status().running());
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.status().lag() == 0);
        System.out.printf("broker restart: 1050 events, %d received before the stop, %d deliveries (%d duplicates)%n",
                receivedBeforeStop, deliveries.get(), deliveries.get() - received.size());
    }

    @Test
    void with_the_sqlite_inbox_redelivered_and_resent_messages_have_their_effect_once() throws Exception {
        SqliteInbox inbox = store.inbox();
        Set<UUID> crashedOnce = ConcurrentHashMap.newKeySet();
        AtomicLong calls = new AtomicLong();
        MessageConsumer consumer = rabbit.consume(ConsumerOptions.of("billing", "Order.*")
                .withRetry(new RetryPolicy(3, Duration.ofMillis(50), 2.0, Duration.ofSeconds(1))), m -> {
            calls.incrementAndGet();
            inbox.handleOnce("billing", m, tx -> {
                try (var insert = tx.connection().orElseThrow().prepareStatement(
                        "insert into billed(message_id) values (?)")) {
                    insert.setString(1, m.messageId().toString());
                    insert.executeUpdate();
                }
            });
            // every third message: the effect and the inbox entry committed, then a failure before the ack
            if (m.position() % 3 == 0 && crashedOnce.add(m.messageId())) throw new IllegalStateException("crash after commit");
        });
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement statement = sql.createStatement()) {
            statement.execute("create table billed (message_id text not null)"); // no unique key: the inbox must dedupe
        }
        List<UUID> appended = append(0, 300);
        startRelay();
        await().atMost(Duration.ofSeconds(60)).until(() -> relay.status().lag() == 0);
        // the relay sending a stretch again, as after a crash before its checkpoint write
        rabbit.transport.publish(store.readAll(ReadAllOptions.fromStart().limit(100)).stream().map(Message::of).toList());

        await().atMost(Duration.ofSeconds(60)).until(() -> consumer.status().handled() == 400);
        assertThat(calls.get()).isEqualTo(400 + 100);
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement statement = sql.createStatement();
             ResultSet rows = statement.executeQuery("select count(*), count(distinct message_id) from billed")) {
            rows.next();
            assertThat(rows.getLong(1)).as("effects").isEqualTo(300);
            assertThat(rows.getLong(2)).as("distinct messages billed").isEqualTo(300);
        }
        assertThat(appended).allSatisfy(id -> assertThat(inbox.contains("billing", id)).isTrue());
    }
}
