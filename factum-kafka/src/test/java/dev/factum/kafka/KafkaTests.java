// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import dev.factum.transport.Message;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What the Kafka tests share: a fresh topic prefix per test, messages, and raw Kafka clients to look behind the transport. */
final class KafkaTests {
    private static final AtomicLong POSITIONS = new AtomicLong();

    private KafkaTests() {
    }

    /** A prefix no other test uses, so tests share a broker without seeing each other's topics. */
    static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + ".";
    }

    /** A configuration for tests: unique topics, 2 partitions, publish within 5 s. */
    static KafkaConfig config(String bootstrapServers) {
        return KafkaConfig.of(bootstrapServers).withTopicPrefix(uniquePrefix()).withPartitions(2)
                .withDeliveryTimeout(Duration.ofSeconds(5));
    }

    /** A message with every envelope field set. */
    static Message message(String stream, String type, String body) {
        return new Message(UUID.randomUUID(), type, stream, POSITIONS.incrementAndGet(), "corr-" + stream,
                "cause-" + stream, Optional.of("user-7"),
                Optional.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), Message.JSON, body,
                Map.of("tenant", "acme", "schema-version", "2"), Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    static Message message(String stream, String type) {
        return message(stream, type, "{\"n\":" + POSITIONS.get() + "}");
    }

    /** Every record of {@code topic} (all partitions, from the start) until {@code count} arrived or 30 s passed. */
    static List<ConsumerRecord<byte[], byte[]>> readTopic(String bootstrapServers, String topic, int count) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The records of {@code topic} that are not control records. */
    static List<ConsumerRecord<byte[], byte[]>> readMessages(String bootstrapServers, String topic, int partitions,
                                                            int count) {
        return readTopic(bootstrapServers, topic, count + partitions).stream()
                .filter(record -> record.headers().lastHeader(KafkaHeaders.CONTROL) == null).toList();
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Sends raw records as a foreign producer would, waiting for each. */
    static void sendRaw(String bootstrapServers, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                Future<?> sent = producer.send(record);
                sent.get(30, TimeUnit.SECONDS);
            }
        }
    }

    static ProducerRecord<byte[], byte[]> raw(String topic, String key, String value, Map<String, String> headers) {
        RecordHeaders kafka = new RecordHeaders();
        headers.forEach((name, v) -> kafka.add(name, v.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, null, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), kafka);
    }
}
