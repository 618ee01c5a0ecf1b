// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import dev.factum.FactumException;
import dev.factum.kafka.internal.ClientSettings;
import dev.factum.kafka.internal.ConfirmingProducer;
import dev.factum.kafka.internal.KafkaMessageConsumer;
import dev.factum.retry.DeadLetterStore;
import dev.factum.transport.Binding;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.MessageHeaders;
import dev.factum.transport.PublishException;
import dev.factum.transport.Transport;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Transport} over Kafka. Each stream category has a topic ({@link TopicNaming}), each message is one record
 * keyed by its stream (so one stream's messages share a partition and keep their order), its value the JSON body and
 * its envelope in the record headers ({@link MessageHeaders}, with the global position in
 * {@value MessageHeaders#POSITION}). Each consumer is a consumer group with a dead-letter topic.
 *
 * <ul>
 *   <li><b>Publish.</b> {@link #publish} sends the whole batch with an idempotent producer ({@code acks=all}), flushes,
 *       and returns only when every record is acknowledged. Any failure — cluster unreachable, a record not
 *       acknowledged within {@link KafkaConfig#deliveryTimeout()} — is a retryable {@link PublishException}: nothing of
 *       the batch counts as sent and the caller (the {@link dev.factum.relay.Relay}) sends it again, so consumers may
 *       see duplicates, never a gap. A record the producer or the broker refuses for its size is
 *       {@link PublishException#refused refused} for good, naming the message. After any failure the producer instance
 *       is closed (its unsent records aborted) and a new one serves the next publish: see the module README for why.
 *       Topics missing for a category are created first ({@link KafkaTopics}). Publishes are serialised.</li>
 *   <li><b>Consume.</b> One consumer group per {@link ConsumerOptions#name()}, manual commits after the handler
 *       returned, {@code max.poll.records = prefetch}, per-stream retries that hold back only the failing stream's
 *       later messages, dead letters to {@code <consumer>-dlt} and the {@link DeadLetterStore}. See the module README
 *       for the exact ordering guarantee.</li>
 * </ul>
 *
 * @since 0.1
 */
public final class KafkaTransport implements Transport {
    private final KafkaConfig config;
    private final DeadLetterStore deadLetters;
    private final Clock clock;
    private final KafkaTopics topics;
    private final ConfirmingProducer producer;
    private final ConfirmingProducer deadLetterProducer;
    private final Set<String> knownCategories = ConcurrentHashMap.newKeySet();
    private final Set<KafkaMessageConsumer> consumers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private KafkaTransport(KafkaConfig config, DeadLetterStore deadLetters, Clock clock) {
        this.config = config;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.topics = KafkaTopics.open(config);
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.producer = new ConfirmingProducer(ClientSettings.producer(config, "factum-publish-" + id),
                config.deliveryTimeout());
        this.deadLetterProducer = new ConfirmingProducer(ClientSettings.producer(config, "factum-dlt-" + id),
                config.deliveryTimeout());
    }

    /** {@link #start(KafkaConfig, DeadLetterStore, Clock)} with the system clock. */
    public static KafkaTransport start(KafkaConfig config, DeadLetterStore deadLetters) {
        return start(config, deadLetters, Clock.systemUTC());
    }

    /**
     * A transport for {@code config}'s cluster. Connects lazily: nothing is sent until the first publish or consume.
     *
     * @param deadLetters where consumers park their dead letters (also written to each consumer's dead-letter topic)
     * @param clock       the time of attempts, retries and dead letters (a test passes one it moves)
     */
    public static KafkaTransport start(KafkaConfig config, DeadLetterStore deadLetters, Clock clock) {
        return new KafkaTransport(Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(deadLetters, "deadLetters"), Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public String name() {
        return "kafka";
    }

    public KafkaConfig config() {
        return config;
    }

    /**
     * {@inheritDoc}
     *
     * @throws PublishException retryable if any record was not acknowledged within the delivery timeout or the topics
     *                          could not be created; refused (naming the message) if a record is too large
     */
    @Override
    public void publish(List<Message> messages) {
        Objects.requireNonNull(messages, "messages");
        if (messages.isEmpty()) return;
        if (closed) throw PublishException.retryable("the Kafka transport is closed", null);
        ensureTopics(messages);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(messages.size());
        for (Message message : messages) records.add(record(message));
        try {
            producer.sendAll(records);
        } catch (ConfirmingProducer.SendFailure failure) {
            if (failure.tooLarge() >= 0) {
                Message refused = messages.get(failure.tooLarge());
                throw PublishException.refused("Kafka refuses message " + refused.messageId() + " (" + refused.type()
                        + " of " + refused.stream() + ", " + refused.body().length() + " characters): "
                        + failure.getMessage(), refused.messageId(), failure.getCause());
            }
            throw PublishException.retryable("publishing " + messages.size() + " message(s) to Kafka at "
                    + config.bootstrapServers() + " failed, nothing of the batch counts as sent: "
                    + failure.getMessage(), failure.getCause());
        }
    }

    private ProducerRecord<byte[], byte[]> record(Message message) {
        return new ProducerRecord<>(config.naming().topic(message.category()), null,
                message.stream().getBytes(StandardCharsets.UTF_8), message.body().getBytes(StandardCharsets.UTF_8),
                KafkaHeaders.toKafka(MessageHeaders.encode(message)));
    }

    private void ensureTopics(List<Message> messages) {
        Set<String> missing = new LinkedHashSet<>();
        for (Message message : messages) {
            if (!knownCategories.contains(message.category())) missing.add(message.category());
        }
        if (missing.isEmpty()) return;
        try {
            topics.ensure(missing, List.of());
        } catch (FactumException e) {
            throw PublishException.retryable("the topics of " + missing + " are not there and could not be "
                    + "created: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw PublishException.retryable("the topics of " + missing + " could not be checked: " + e, e);
        }
        knownCategories.addAll(missing);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Creates the topics of the categories the bindings name and the consumer's dead-letter topic if they are
     * missing. A binding naming no single category ({@code #}, {@code *.*}, {@code Bank.Account.*}) subscribes to
     * every category topic by {@link TopicNaming#categoryTopics()} (topics created later are picked up at the
     * consumer's next metadata refresh, {@code metadata.max.age.ms}, 5 minutes by default) and filters by routing
     * key. Several processes consuming under one name share the partitions.
     *
     * @throws FactumException if the topics cannot be created (the cluster is unreachable)
     */
    @Override
    public MessageConsumer consume(ConsumerOptions options, MessageHandler handler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        if (closed) throw new IllegalStateException("the Kafka transport is closed");
        Set<String> categories = new LinkedHashSet<>();
        boolean everyCategory = false;
        for (Binding binding : options.bindings()) {
            Optional<String> category = binding.streamCategory();
            if (category.isPresent()) categories.add(category.get());
            else everyCategory = true;
        }
        topics.ensure(categories, List.of(options.name()));
        knownCategories.addAll(categories);
        List<String> subscription = categories.stream().map(config.naming()::topic).toList();
        KafkaMessageConsumer consumer = new KafkaMessageConsumer(config, options, handler, deadLetters, clock,
                deadLetterProducer, config.naming().deadLetterTopic(options.name()),
                everyCategory ? Optional.of(config.naming().categoryTopics()) : Optional.empty(), subscription,
                consumers::remove);
        consumers.add(consumer);
        consumer.start();
        return consumer;
    }

    /** Stops every consumer of this transport, then the producers and the admin client. */
    @Override
    public void close() {
        closed = true;
        List.copyOf(consumers).forEach(KafkaMessageConsumer::close);
        producer.close();
        deadLetterProducer.close();
        topics.close();
    }
}
