// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import dev.factum.inbox.Inbox;
import dev.factum.kafka.broker.KafkaBrokerExtension;
import dev.factum.kafka.broker.KafkaEndpoint;
import dev.factum.retry.RetryPolicy;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.factum.kafka.KafkaTests.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBrokerExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaInboxTest {

    @Test
    void an_inbox_gives_each_message_one_effect_under_resent_batches_retries_and_a_restarted_consumer(
            KafkaEndpoint broker, @TempDir Path dir) throws Exception {
        KafkaConfig config = KafkaTests.config(broker.bootstrapServers());
        Path file = dir.resolve("ledger.db");
        AtomicInteger deliveries = new AtomicInteger();
        Set<UUID> crashedOnce = ConcurrentHashMap.newKeySet();
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) batch.add(message("Payment-" + (i % 6), "PaymentCaptured"));
        Message crashing = batch.get(7);
        ConsumerOptions options = ConsumerOptions.of("ledger", "Payment.*")
                .withRetry(new RetryPolicy(3, Duration.ZERO, 1.0, Duration.ZERO));

        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(file));
             KafkaTransport transport = KafkaTransport.start(config, store.deadLetterStore())) {
            Inbox inbox = store.inbox();
            MessageHandler handler = message -> {
                deliveries.incrementAndGet();
                // the effect: a row written in the inbox's own transaction
                inbox.handleOnce("ledger", message, tx -> {
                    try (Statement sql = tx.connection().orElseThrow().createStatement()) {
                        sql.execute("CREATE TABLE IF NOT EXISTS ledger_effects (message_id TEXT NOT NULL)");
                        sql.execute("INSERT INTO ledger_effects VALUES ('" + message.messageId() + "')");
                    }
                });
                // the effect is committed, then the process "dies" before acknowledging: delivered again
                if (message.equals(crashing) && crashedOnce.add(message.messageId())) {
                    throw new IllegalStateException("crashed before the acknowledgement");
                }
            };
            transport.publish(batch);
            transport.publish(batch.subList(0, 15)); // a relay resending a batch whose confirm it did not see
            try (MessageConsumer consumer = transport.consume(options, handler)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.get() == 46);
                assertThat(consumer.status().retried()).isEqualTo(1);
            }
            // a restarted consumer of the same group continues after the commit: nothing handled twice
            transport.publish(batch.subList(20, 30));
            try (MessageConsumer ignored = transport.consume(options, handler)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.get() == 56);
            }
        }
        List<UUID> effects = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT message_id FROM ledger_effects")) {
            while (rows.next()) effects.add(UUID.fromString(rows.getString(1)));
        }
        assertThat(effects).hasSize(30).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(batch.stream().map(Message::messageId).toList());
    }
}
