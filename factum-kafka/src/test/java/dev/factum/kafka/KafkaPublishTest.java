// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import dev.factum.kafka.broker.KafkaBrokerExtension;
import dev.factum.kafka.broker.KafkaEndpoint;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHeaders;
import dev.factum.transport.PublishException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.factum.kafka.KafkaTests.header;
import static dev.factum.kafka.KafkaTests.message;
import static dev.factum.kafka.KafkaTests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBrokerExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaPublishTest {
    private final KafkaEndpoint broker;
    private KafkaConfig config;
    private KafkaTransport transport;

    KafkaPublishTest(KafkaEndpoint broker) {
        this.broker = broker;
    }

    @BeforeEach
    void start() {
        config = KafkaTests.config(broker.bootstrapServers());
        transport = KafkaTransport.start(config, new InMemoryDeadLetterStore());
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    @Test
    void a_message_arrives_with_its_whole_envelope_keyed_by_stream_with_the_position_header() throws Exception {
        Message sent = message("Order-42", "OrderPlaced", "{\"total\":\"12.50\",\"lines\":[1,2]}");

        transport.publish(List.of(sent));

        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTests.readMessages(broker.bootstrapServers(), config.naming().topic("Order"), 2, 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = records.get(0);
        assertThat(text(record.key())).isEqualTo("Order-42");
        assertThat(text(record.value())).isEqualTo(sent.body());
        assertThat(header(record, MessageHeaders.POSITION)).isEqualTo(Long.toString(sent.position()));
        assertThat(KafkaHeaders.fromKafka(record.headers())).isEqualTo(MessageHeaders.encode(sent));

        List<Message> received = new CopyOnWriteArrayList<>();
        try (MessageConsumer consumer = transport.consume(ConsumerOptions.of("reader", "Order.*"), received::add)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
            assertThat(received.get(0)).isEqualTo(sent);
            assertThat(consumer.status().handled()).isEqualTo(1);
        }
    }

    @Test
    void each_stream_keeps_its_order_across_partitions() {
        config = config.withPartitions(4);
        transport.close();
        transport = KafkaTransport.start(config, new InMemoryDeadLetterStore());
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (int stream = 0; stream < 10; stream++) batch.add(message("Cart-" + stream, "ItemAdded"));
        }
        List<Message> received = Collections.synchronizedList(new ArrayList<>());

        transport.publish(batch.subList(0, 100));
        transport.publish(batch.subList(100, 200));

        try (MessageConsumer ignored = transport.consume(ConsumerOptions.of("cart-reader", "Cart.*"), received::add)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == batch.size());
        }
        Map<String, List<Long>> byStream = new LinkedHashMap<>();
        for (Message message : received) {
            byStream.computeIfAbsent(message.stream(), s -> new ArrayList<>()).add(message.position());
        }
        assertThat(byStream).hasSize(10);
        byStream.forEach((stream, positions) -> assertThat(positions).as(stream).isSorted().hasSize(20));
        Set<Integer> partitions = new java.util.HashSet<>();
        for (var record : KafkaTests.readMessages(broker.bootstrapServers(), config.naming().topic("Cart"), 4, 200)) {
            partitions.add(record.partition());
        }
        assertThat(partitions).as("ten streams spread over four partitions").hasSizeGreaterThan(1);
    }

    @Test
    void a_message_larger_than_the_limit_is_refused_for_good_by_its_id() {
        Message small = message("Doc-1", "DocumentStored");
        Message large = message("Doc-2", "DocumentStored", "{\"text\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");

        assertThatThrownBy(() -> transport.publish(List.of(small, large)))
                .isInstanceOfSatisfying(PublishException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.messageId()).contains(large.messageId());
                    assertThat(e.getMessage()).contains(large.messageId().toString());
                });
        transport.publish(List.of(small));
    }

    @Test
    void topics_are_created_once_with_their_partitions_and_a_warm_up_record_in_each() {
        KafkaConfig withCounts = config.withPartitions("Invoice", 3);

        Set<String> created = KafkaTopics.create(withCounts, List.of("Invoice", "Refund"), List.of("billing"));
        Set<String> again = KafkaTopics.create(withCounts, List.of("Invoice", "Refund"), List.of("billing"));

        String invoices = withCounts.naming().topic("Invoice");
        assertThat(created).containsExactlyInAnyOrder(invoices, withCounts.naming().topic("Refund"),
                withCounts.naming().deadLetterTopic("billing"));
        assertThat(again).isEmpty();
        try (KafkaTopics topics = KafkaTopics.open(withCounts)) {
            assertThat(topics.partitions(List.of(invoices, withCounts.naming().topic("Refund"))))
                    .containsEntry(invoices, 3).containsEntry(withCounts.naming().topic("Refund"), 2);
        }
        List<ConsumerRecord<byte[], byte[]>> warmUps = KafkaTests.readTopic(broker.bootstrapServers(), invoices, 3);
        assertThat(warmUps).hasSize(3)
                .allSatisfy(record -> assertThat(header(record, KafkaHeaders.CONTROL)).isEqualTo(KafkaHeaders.WARM_UP));
        assertThat(warmUps.stream().map(ConsumerRecord::partition)).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void the_naming_is_checked_and_keeps_dead_letter_topics_apart_from_category_topics() {
        TopicNaming naming = TopicNaming.prefixed("shop.");

        assertThat(naming.topic("Order")).isEqualTo("shop.Order");
        assertThat(naming.deadLetterTopic("billing")).isEqualTo("shop.billing-dlt");
        assertThat(naming.categoryTopics().matcher("shop.Order").matches()).isTrue();
        assertThat(naming.categoryTopics().matcher("shop.Shop.Order").matches()).isTrue();
        assertThat(naming.categoryTopics().matcher("shop.billing-dlt").matches()).isFalse();
        assertThat(naming.categoryTopics().matcher("shopXOrder").matches()).isFalse();
        assertThatThrownBy(() -> TopicNaming.prefixed("bad prefix"))
                .hasMessageContaining("topic prefix 'bad prefix'");
        assertThatThrownBy(() -> naming.topic("x".repeat(250))).hasMessageContaining("is not a Kafka topic name");
        assertThatThrownBy(() -> config.withProducerProperty("acks", "1"))
                .hasMessageContaining("producer property 'acks' is set by KafkaTransport");
        assertThatThrownBy(() -> KafkaConfig.of("localhost")).hasMessageContaining("host:port");
    }
}
