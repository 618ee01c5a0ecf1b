// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the Kafka cluster is and how {@link KafkaTransport} uses it. Copy-on-set:
 * {@code KafkaConfig.of("127.0.0.1:9092").withPartitions(12).withPartitions("Account", 24)}.
 *
 * @param bootstrapServers   {@code host:port[,host:port…]}
 * @param naming             topic names ({@link TopicNaming#prefixed(String)} with {@value TopicNaming#DEFAULT_PREFIX}
 *                           by default)
 * @param partitions         partitions of a new category topic (default 6); an existing topic keeps its own
 * @param categoryPartitions partitions of new topics of particular categories, overriding {@code partitions}
 * @param replicationFactor  replicas of a new topic; empty (the default) takes the broker's
 *                           {@code default.replication.factor} — in production make that 3 with
 *                           {@code min.insync.replicas=2}, which {@code acks=all} relies on
 * @param deliveryTimeout    the longest {@link KafkaTransport#publish} waits for the cluster: a message not
 *                           acknowledged by then fails the publish (Kafka's {@code delivery.timeout.ms}; also bounds
 *                           metadata and admin calls). Default 30 s, at least 1 s
 * @param maxMessageBytes    the largest record the producer sends (Kafka's {@code max.request.size}, default 1 MiB);
 *                           keep it at most the broker's {@code message.max.bytes}. A larger message is refused for
 *                           good
 * @param producerProperties further producer settings ({@code compression.type=lz4}, security settings…); the
 *                           settings the transport's guarantees rest on are refused (see {@link #FIXED_PRODUCER})
 * @param consumerProperties further consumer settings ({@code session.timeout.ms}, security settings…); the settings
 *                           the transport's guarantees rest on are refused (see {@link #FIXED_CONSUMER})
 * @since 0.1
 */
public record KafkaConfig(String bootstrapServers, TopicNaming naming, int partitions,
                          Map<String, Integer> categoryPartitions, Optional<Short> replicationFactor,
                          Duration deliveryTimeout, int maxMessageBytes, Map<String, String> producerProperties,
                          Map<String, String> consumerProperties) {

    /** Producer settings {@link KafkaTransport} sets itself: its confirm and order guarantees rest on them. */
    public static final Set<String> FIXED_PRODUCER = Set.of("bootstrap.servers", "enable.idempotence", "acks",
            "key.serializer", "value.serializer", "delivery.timeout.ms", "max.request.size", "transactional.id",
            "retries", "max.in.flight.requests.per.connection");
    /** Consumer settings {@link KafkaTransport} sets itself: its commit and backpressure guarantees rest on them. */
    public static final Set<String> FIXED_CONSUMER = Set.of("bootstrap.servers", "group.id", "enable.auto.commit",
            "key.deserializer", "value.deserializer", "max.poll.records", "allow.auto.create.topics");

    public KafkaConfig {
        if (bootstrapServers == null || !bootstrapServers.strip().matches("[^\\s,]+:\\d{1,5}(,[^\\s,]+:\\d{1,5})*")) {
            throw new IllegalArgumentException("Kafka bootstrap servers '" + bootstrapServers
                    + "' must be host:port[,host:port...]");
        }
        bootstrapServers = bootstrapServers.strip();
        Objects.requireNonNull(naming, "naming");
        requirePartitions("partitions", partitions);
        categoryPartitions = Map.copyOf(Objects.requireNonNull(categoryPartitions, "categoryPartitions"));
        categoryPartitions.forEach((category, count) -> requirePartitions("partitions of category " + category, count));
        Objects.requireNonNull(replicationFactor, "replicationFactor");
        replicationFactor.ifPresent(factor -> {
            if (factor < 1) throw new IllegalArgumentException("replicationFactor must be >= 1, was " + factor);
        });
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        if (deliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("deliveryTimeout must be at least 1 s, was " + deliveryTimeout);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + maxMessageBytes);
        }
        producerProperties = checked("producer", producerProperties, FIXED_PRODUCER);
        consumerProperties = checked("consumer", consumerProperties, FIXED_CONSUMER);
    }

    /**
     * The cluster at {@code bootstrapServers} with the defaults: topics {@code factum.<Category>} with 6 partitions,
     * the broker's replication factor, publish within 30 s, records up to 1 MiB.
     */
    public static KafkaConfig of(String bootstrapServers) {
        return new KafkaConfig(bootstrapServers, TopicNaming.prefixed(TopicNaming.DEFAULT_PREFIX), 6, Map.of(),
                Optional.empty(), Duration.ofSeconds(30), 1024 * 1024, Map.of(), Map.of());
    }

    /** {@link TopicNaming#prefixed(String)} with {@code prefix}. */
    public KafkaConfig withTopicPrefix(String prefix) {
        return withNaming(TopicNaming.prefixed(prefix));
    }

    public KafkaConfig withNaming(TopicNaming value) {
        return new KafkaConfig(bootstrapServers, value, partitions, categoryPartitions, replicationFactor,
                deliveryTimeout, maxMessageBytes, producerProperties, consumerProperties);
    }

    public KafkaConfig withPartitions(int value) {
        return new KafkaConfig(bootstrapServers, naming, value, categoryPartitions, replicationFactor,
                deliveryTimeout, maxMessageBytes, producerProperties, consumerProperties);
    }

    /** New topics of {@code category} get {@code value} partitions. */
    public KafkaConfig withPartitions(String category, int value) {
        Map<String, Integer> copy = new LinkedHashMap<>(categoryPartitions);
        copy.put(Objects.requireNonNull(category, "category"), value);
        return new KafkaConfig(bootstrapServers, naming, partitions, copy, replicationFactor,
                deliveryTimeout, maxMessageBytes, producerProperties, consumerProperties);
    }

    public KafkaConfig withReplicationFactor(short value) {
        return new KafkaConfig(bootstrapServers, naming, partitions, categoryPartitions, Optional.of(value),
                deliveryTimeout, maxMessageBytes, producerProperties, consumerProperties);
    }

    public KafkaConfig withDeliveryTimeout(Duration value) {
        return new KafkaConfig(bootstrapServers, naming, partitions, categoryPartitions, replicationFactor,
                value, maxMessageBytes, producerProperties, consumerProperties);
    }

    public KafkaConfig withMaxMessageBytes(int value) {
        return new KafkaConfig(bootstrapServers, naming, partitions, categoryPartitions, replicationFactor,
                deliveryTimeout, value, producerProperties, consumerProperties);
    }

    /** Adds or replaces one producer setting. */
    public KafkaConfig withProducerProperty(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(producerProperties);
        copy.put(key, value);
        return new KafkaConfig(bootstrapServers, naming, partitions, categoryPartitions, replicationFactor,
                deliveryTimeout, maxMessageBytes, copy, consumerProperties);
    }

    /** Adds or replaces one consumer setting. */
    public KafkaConfig withConsumerProperty(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(consumerProperties);
        copy.put(key, value);
        return new KafkaConfig(bootstrapServers, naming, partitions, categoryPartitions, replicationFactor,
                deliveryTimeout, maxMessageBytes, producerProperties, copy);
    }

    /** The partitions a new topic of {@code category} gets. */
    public int partitionsOf(String category) {
        return categoryPartitions.getOrDefault(category, partitions);
    }

    private static void requirePartitions(String what, int count) {
        if (count < 1 || count > 10_000) throw new IllegalArgumentException(what + " must be 1-10000, was " + count);
    }

    private static Map<String, String> checked(String client, Map<String, String> properties, Set<String> fixed) {
        Objects.requireNonNull(properties, client + "Properties");
        properties.forEach((key, value) -> {
            Objects.requireNonNull(key, client + " property name");
            Objects.requireNonNull(value, () -> "value of " + client + " property " + key);
            if (fixed.contains(key)) {
                throw new IllegalArgumentException(client + " property '" + key + "' is set by KafkaTransport "
                        + "(its guarantees rest on it); see KafkaConfig and the factum-kafka README");
            }
        });
        return Map.copyOf(properties);
    }
}
