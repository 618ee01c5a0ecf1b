// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import dev.factum.FactumException;
import dev.factum.kafka.internal.ClientSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin step: creates the topics of stream categories and consumers' dead-letter topics, named by the
 * configuration's {@link TopicNaming}. Idempotent: a topic that exists already is left as it is (its partition count
 * included). {@link KafkaTransport} calls it for the categories it publishes and consumes and for each consumer's
 * dead-letter topic, so running it ahead (at deployment, from a migration step) is optional — but it is the place to
 * give each category its partition count ({@link KafkaConfig#withPartitions(String, int)}): a topic's partition count
 * decides which streams share a partition and cannot be lowered later.
 *
 * <p><b>KAFKA-15591.</b> An idempotent producer pipelining its first requests to a partition created moments
 * before can have them reordered around the moment the broker applies the new partition, and then loses the first
 * request's records after {@code delivery.timeout.ms} with {@code OUT_OF_ORDER_SEQUENCE_NUMBER} (fixed in Kafka 4.5;
 * the build uses 4.4). The work-around: after creating a topic, this class writes one control record
 * ({@link KafkaHeaders#CONTROL}{@code =}{@link KafkaHeaders#WARM_UP}, no key, empty value) synchronously to each of its
 * partitions, one request at a time, before anything else is produced to it. Consumers skip control records.
 * (The relay would resend lost records anyway — it never counts an expired send as sent — but the warm-up keeps that
 * from happening at all.)
 *
 * @since 0.1
 */
public final class KafkaTopics implements AutoCloseable {
    private final KafkaConfig config;
    private final Admin admin;

    private KafkaTopics(KafkaConfig config) {
        this.config = config;
        this.admin = Admin.create(ClientSettings.admin(config));
    }

    /** An admin client for {@code config}'s cluster; close it when done. */
    public static KafkaTopics open(KafkaConfig config) {
        return new KafkaTopics(Objects.requireNonNull(config, "config"));
    }

    /**
     * Creates the topics of {@code categories} and the dead-letter topics of {@code consumers} that do not exist yet,
     * then warms the new ones up (see the class comment).
     *
     * @return the names of the topics created now (empty if all existed)
     * @throws FactumException if the cluster cannot be reached within the delivery timeout or refuses a topic
     */
    public static Set<String> create(KafkaConfig config, Collection<String> categories, Collection<String> consumers) {
        try (KafkaTopics topics = open(config)) {
            return topics.ensure(categories, consumers);
        }
    }

    /**
     * Creates the topics of {@code categories} and the dead-letter topics of {@code consumers} that do not exist yet
     * and warms the new ones up.
     *
     * @return the names of the topics created now
     * @throws FactumException if the cluster cannot be reached within the delivery timeout or refuses a topic
     */
    public Set<String> ensure(Collection<String> categories, Collection<String> consumers) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (String category : categories) wanted.put(config.naming().topic(category), config.partitionsOf(category));
        for (String consumer : consumers) wanted.put(config.naming().deadLetterTopic(consumer), config.partitions());
        if (wanted.isEmpty()) return Set.of();
        List<NewTopic> requests = new ArrayList<>();
        wanted.forEach((name, partitions) -> requests.add(
                new NewTopic(name, java.util.Optional.of(partitions), config.replicationFactor())));
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin.createTopics(requests).values();
        Set<String> created = new LinkedHashSet<>();
        FactumException failure = null;
        for (var result : results.entrySet()) {
            try {
                result.getValue().get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
                created.add(result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException) && failure == null) {
                    failure = new FactumException("cannot create Kafka topic " + result.getKey() + " on "
                            + config.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                if (failure == null) {
                    failure = new FactumException("cannot create Kafka topic " + result.getKey() + ": no answer from "
                            + config.bootstrapServers() + " within " + config.deliveryTimeout().toMillis() + " ms", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FactumException("interrupted while creating Kafka topic " + result.getKey(), e);
            }
        }
        // the topics created now are warmed up even if another one failed: a later call finds them existing
        warmUp(created, wanted);
        if (failure != null) throw failure;
        return Set.copyOf(created);
    }

    /** Writes one control record to each partition of each new topic, waiting for each before the next. */
    private void warmUp(Set<String> created, Map<String, Integer> partitions) {
        if (created.isEmpty()) return;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ClientSettings.warmUpProducer(config),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : created) {
                for (int partition = 0; partition < partitions.get(topic); partition++) {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, (byte[]) null, new byte[0],
                            KafkaHeaders.toKafka(Map.of(KafkaHeaders.CONTROL, KafkaHeaders.WARM_UP)));
                    Future<?> sent = producer.send(record);
                    sent.get(config.deliveryTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new FactumException("cannot write the first record to the new topics " + created + ": "
                    + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FactumException("interrupted while writing the first record to the new topics " + created, e);
        }
    }

    /** The partition count of each existing topic among {@code topics} (absent ones are left out). */
    public Map<String, Integer> partitions(Collection<String> topics) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        var described = admin.describeTopics(topics).topicNameValues();
        for (var entry : described.entrySet()) {
            try {
                counts.put(entry.getKey(), entry.getValue()
                        .get(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS).partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw new FactumException("cannot describe Kafka topic " + entry.getKey() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new FactumException("cannot describe Kafka topic " + entry.getKey() + ": no answer within "
                        + config.deliveryTimeout().toMillis() + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FactumException("interrupted while describing Kafka topic " + entry.getKey(), e);
            }
        }
        return counts;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
