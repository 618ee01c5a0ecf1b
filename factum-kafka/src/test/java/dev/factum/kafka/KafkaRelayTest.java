// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import dev.factum.event.NewEvent;
import dev.factum.kafka.broker.KafkaBroker;
import dev.factum.kafka.broker.KafkaBrokerExtension;
import dev.factum.kafka.broker.KafkaEndpoint;
import dev.factum.relay.Relay;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay from a SQLite store to Kafka, end to end, also across a broker restart. */
@ExtendWith(KafkaBrokerExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaRelayTest {
    private static final int STREAMS = 25;

    @Test
    void the_relay_forwards_a_thousand_stored_events_to_a_consumer_in_stream_order(KafkaEndpoint broker,
                                                                                    @TempDir Path dir) {
        KafkaConfig config = KafkaTests.config(broker.bootstrapServers()).withPartitions(4);
        List<Message> received = new CopyOnWriteArrayList<>();
        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("events.db")));
             KafkaTransport transport = KafkaTransport.start(config, store.deadLetterStore());
             MessageConsumer consumer = transport.consume(ConsumerOptions.of("fulfilment", "Order.*")
                     .withPrefetch(500), received::add)) {
            append(store, 0, 1000);
            long began = System.nanoTime();
            try (Relay relay = Relay.builder("orders", store, store.checkpointStore(), transport)
                    .pollInterval(Duration.ofMillis(100)).retryDelay(Duration.ofMillis(200)).build().start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> relay.status().published() == 1000);
                long relayed = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 1000);
                long consumed = System.nanoTime();
                System.out.printf("relay: 1000 events published in %d ms, all consumed after %d ms%n",
                        (relayed - began) / 1_000_000, (consumed - began) / 1_000_000);
            }
            assertThat(consumer.status().handled()).isEqualTo(1000);
        }
        assertThat(received).hasSize(1000);
        assertStreamOrder(received, 1000);
    }

    @Test
    void after_a_broker_restart_mid_stream_nothing_is_lost_and_relay_and_consumer_resume_by_themselves(
            KafkaBroker broker, @TempDir Path dir) {
        KafkaConfig config = KafkaTests.config(broker.bootstrapServers()).withPartitions(3)
                .withDeliveryTimeout(Duration.ofSeconds(3));
        List<Message> received = new CopyOnWriteArrayList<>();
        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("events.db")));
             KafkaTransport transport = KafkaTransport.start(config, store.deadLetterStore());
             MessageConsumer consumer = transport.consume(ConsumerOptions.of("fulfilment", "Order.*"),
                     received::add);
             Relay relay = Relay.builder("orders", store, store.checkpointStore(), transport).batchSize(50)
                     .pollInterval(Duration.ofMillis(100)).retryDelay(Duration.ofMillis(200)).build().start()) {
            append(store, 0, 500);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 100);

            broker.stop();
            append(store, 500, 250);
            // keep the broker down until a publish has failed: the relay must resume from its checkpoint by itself
            await().atMost(Duration.ofSeconds(60)).until(() -> relay.status().lastError().isPresent());
            long checkpointWhileDown = relay.status().checkpoint();
            long headWhileDown = store.headPosition().value();
            broker.start();
            append(store, 750, 250);

            await().atMost(Duration.ofSeconds(120)).until(() -> distinct(received).size() == 1000);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> relay.status().checkpoint() == store.headPosition().value());
            assertThat(checkpointWhileDown).as("the failed batch did not move the checkpoint").isLessThan(headWhileDown);
            assertThat(consumer.status().running()).isTrue();
            System.out.printf("broker restart: %d deliveries for 1000 events (%d duplicates)%n", received.size(),
                    received.size() - 1000);
        }
        assertStreamOrder(received, 1000);
    }

    /** Appends {@code count} events round-robin over the streams, one append each, numbered from {@code from}. */
    private static void append(SqliteEventStore store, int from, int count) {
        for (int i = from; i < from + count; i++) {
            store.append(StreamId.of("Order", "o" + (i % STREAMS)), ExpectedVersion.any(),
                    List.of(NewEvent.of("OrderLineAdded", "{\"line\":" + i + "}")));
        }
    }

    private static Set<Long> distinct(List<Message> received) {
        Set<Long> positions = new LinkedHashSet<>();
        for (Message message : received) positions.add(message.position());
        return positions;
    }

    /** Each stream's messages, duplicates left out, arrive in position order; all {@code total} arrive. */
    private static void assertStreamOrder(List<Message> received, int total) {
        Map<String, List<Long>> byStream = new LinkedHashMap<>();
        Set<Long> seen = new LinkedHashSet<>();
        for (Message message : received) {
            if (seen.add(message.position())) {
                byStream.computeIfAbsent(message.stream(), s -> new ArrayList<>()).add(message.position());
            }
        }
        assertThat(seen).hasSize(total);
        assertThat(byStream).hasSize(STREAMS);
        byStream.forEach((stream, positions) -> assertThat(positions).as(stream).isSorted());
    }
}
