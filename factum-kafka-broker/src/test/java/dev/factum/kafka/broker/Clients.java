// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Kafka clients for the tests, configured the way the transport is meant to use them. */
final class Clients {
    static final Duration WAIT = Duration.ofSeconds(60);

    private Clients() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    /** Idempotent, acks=all, no linger: every send is durable on the (single) replica before it completes. */
    static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap,
                "enable.idempotence", true,
                "acks", "all",
                "linger.ms", 0,
                "delivery.timeout.ms", (int) WAIT.toMillis(),
                "key.serializer", StringSerializer.class,
                "value.serializer", StringSerializer.class));
    }

    /** A group member that starts at the earliest record when its group has no committed offset, committing by hand. */
    static KafkaConsumer<String, String> consumer(String bootstrap, String group, String protocol) {
        return new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrap,
                "group.id", group,
                "group.protocol", protocol,
                "auto.offset.reset", "earliest",
                "enable.auto.commit", false,
                "key.deserializer", StringDeserializer.class,
                "value.deserializer", StringDeserializer.class));
    }

    /**
     * Creates the topic, then sends one record to each partition and waits for it (key {@code warm-up}): the
     * KAFKA-15591 work-around, so a pipelining idempotent producer cannot lose records on the fresh partitions.
     */
    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (int partition = 0; partition < partitions; partition++) {
                producer.send(new ProducerRecord<>(topic, partition, "warm-up", "warm-up"))
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Polls until {@code count} records other than the warm-up ones arrived (or {@link #WAIT} passed). */
    static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (!record.key().equals("warm-up")) received.add(record);
            }
        }
        return received;
    }

    static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
