// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka.internal;

import dev.factum.kafka.KafkaConfig;
import dev.factum.kafka.KafkaHeaders;
import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.Failures;
import dev.factum.retry.RetryPolicy;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.ConsumerStatus;
import dev.factum.transport.InvalidMessageException;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.MessageHeaders;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One consumer of a consumer group: a thread that polls, hands messages to the handler, retries failures per stream,
 * dead-letters, and commits. The rules, per assigned partition:
 * <ol>
 *   <li>Records are taken in offset order. A control record, or a message the bindings do not match, is done at
 *       once. A record that is not a readable message ({@link MessageHeaders#decode}) is dead-lettered at once.</li>
 *   <li>A message whose stream has no earlier message waiting is handed to the handler now. If the handler fails
 *       (and the policy allows another attempt), the message waits for its due time <em>in memory</em>, and later
 *       messages of the same stream queue behind it; other streams go on. At its due time it is tried again; when it
 *       is finally handled or dead-lettered, the stream's queued messages follow in order.</li>
 *   <li>The committed offset is the oldest record not yet done (or the next record when all are done): it never
 *       passes a waiting message, so whatever was not done is delivered again after a crash or a rebalance, in offset
 *       order (waiting messages start again at attempt 1).</li>
 *   <li>When as many messages wait as {@code prefetch}, every partition is paused (the consumer keeps polling, so it
 *       keeps its place in the group) until some are done.</li>
 *   <li>A failure to dead-letter (dead-letter topic or store unreachable) rewinds the partition to its committed
 *       position and drops what waits in memory for it; it is read again after a second.</li>
 * </ol>
 * Not an API: {@code KafkaTransport.consume} returns it as a {@link MessageConsumer}.
 */
public final class KafkaMessageConsumer implements MessageConsumer {
    private static final Logger log = LoggerFactory.getLogger(KafkaMessageConsumer.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    private static final Duration WAITING_POLL = Duration.ofMillis(50);
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    private final KafkaConfig config;
    private final ConsumerOptions options;
    private final MessageHandler handler;
    private final DeadLetterStore deadLetters;
    private final Clock clock;
    private final ConfirmingProducer deadLetterProducer;
    private final String deadLetterTopic;
    private final Optional<Pattern> pattern;
    private final List<String> topics;
    private final Consumer<KafkaMessageConsumer> onClose;
    private final Map<TopicPartition, Lane> lanes = new HashMap<>();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private boolean pausedForBackpressure;

    public KafkaMessageConsumer(KafkaConfig config, ConsumerOptions options, MessageHandler handler,
                                DeadLetterStore deadLetters, Clock clock, ConfirmingProducer deadLetterProducer,
                                String deadLetterTopic, Optional<Pattern> pattern, List<String> topics,
                                Consumer<KafkaMessageConsumer> onClose) {
        this.config = config;
        this.options = options;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.deadLetterProducer = deadLetterProducer;
        this.deadLetterTopic = deadLetterTopic;
        this.pattern = pattern;
        this.topics = List.copyOf(topics);
        this.onClose = onClose;
    }

    /** Creates the Kafka consumer and starts polling on its own thread. */
    public synchronized void start() {
        if (running) return;
        consumer = new KafkaConsumer<>(ClientSettings.consumer(config, config.naming().consumerGroup(options.name()), options.prefetch()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = Thread.ofPlatform().name("factum-kafka-" + options.name()).daemon().start(this::run);
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public ConsumerStatus status() {
        return new ConsumerStatus(options.name(), running, handled.get(), retried.get(), deadLettered.get(),
                Optional.ofNullable(lastError.get()));
    }

    /** Runs the handler once on the caller's thread (a dead letter's replay); the handler must allow that. */
    @Override
    public void replay(Message message) throws Exception {
        handler.handle(message);
        handled.incrementAndGet();
    }

    /**
     * Stops after the message in flight (waiting up to 30 s for its handler, then interrupting it), commits what was
     * done and leaves the group; what was not done is delivered again to the group's next consumer.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (!this.running) return;
            this.running = false;
            running = thread;
        }
        consumer.wakeup();
        try {
            running.join(CLOSE_GRACE);
            if (running.isAlive()) {
                running.interrupt();
                running.join(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.accept(this);
    }

    private void run() {
        KafkaConsumer<byte[], byte[]> kafka = consumer;
        try {
            Listener listener = new Listener(kafka);
            if (pattern.isPresent()) kafka.subscribe(pattern.get(), listener);
            else kafka.subscribe(topics, listener);
            while (running) {
                if (!loopOnce(kafka)) break;
            }
        } catch (RuntimeException | Error e) {
            lastError.set(Failures.reason(e));
            log.error("Kafka consumer {} stopped: {}", options.name(), Failures.reason(e), e);
        } finally {
            running = false;
            boolean interrupted = Thread.interrupted();
            try {
                commit(kafka);
            } catch (RuntimeException e) {
                log.warn("Kafka consumer {}: the last commit failed: {}", options.name(), Failures.reason(e));
            }
            try {
                kafka.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                log.debug("Kafka consumer {}: closing the client failed", options.name(), e);
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** One poll and what follows; false when the consumer must stop (closed while a handler ran). */
    private boolean loopOnce(KafkaConsumer<byte[], byte[]> kafka) {
        try {
            boolean waiting = lanes.values().stream().anyMatch(lane -> !lane.streams.isEmpty());
            ConsumerRecords<byte[], byte[]> records = kafka.poll(waiting ? WAITING_POLL : IDLE_POLL);
            for (TopicPartition partition : records.partitions()) {
                Lane lane = lanes.computeIfAbsent(partition, Lane::new);
                try {
                    for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) lane.take(record);
                } catch (LaneFailure failure) {
                    rewind(kafka, lane, failure);
                }
            }
            for (Lane lane : List.copyOf(lanes.values())) {
                try {
                    lane.runDue();
                } catch (LaneFailure failure) {
                    rewind(kafka, lane, failure);
                }
            }
            backpressure(kafka);
            commit(kafka);
            return true;
        } catch (WakeupException e) {
            return running;
        } catch (InterruptedException | InterruptException e) {
            if (!running) return false;
            Thread.interrupted();
            return true;
        } catch (CommitFailedException e) {
            // this member was removed from the group (e.g. it exceeded max.poll.interval.ms); the next poll joins
            // again and the partitions' new owners deliver what was not committed
            lastError.set(Failures.reason(e));
            log.warn("Kafka consumer {}: commit refused after a rebalance: {}", options.name(), e.getMessage());
            return true;
        } catch (KafkaException e) {
            lastError.set(Failures.reason(e));
            log.warn("Kafka consumer {}: {}; trying again in {} ms", options.name(), Failures.reason(e),
                    FAILURE_BACKOFF.toMillis());
            return pause(FAILURE_BACKOFF);
        }
    }

    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            return running;
        }
    }

    /** Moves the partition back to its oldest unfinished record and forgets what waits for it in memory. */
    private void rewind(KafkaConsumer<byte[], byte[]> kafka, Lane lane, LaneFailure failure) {
        lastError.set(failure.getMessage());
        log.warn("Kafka consumer {}: {}; reading {} again from offset {} in {} ms", options.name(),
                failure.getMessage(), lane.partition, lane.watermark(), FAILURE_BACKOFF.toMillis(), failure.getCause());
        lanes.remove(lane.partition);
        kafka.seek(lane.partition, lane.watermark());
        pause(FAILURE_BACKOFF);
    }

    private void backpressure(KafkaConsumer<byte[], byte[]> kafka) {
        int waiting = 0;
        for (Lane lane : lanes.values()) waiting += lane.open.size();
        if (waiting >= options.prefetch()) {
            Set<TopicPartition> toPause = new HashSet<>(kafka.assignment());
            toPause.removeAll(kafka.paused());
            if (!toPause.isEmpty()) kafka.pause(toPause);
            pausedForBackpressure = true;
        } else if (pausedForBackpressure) {
            kafka.resume(kafka.paused());
            pausedForBackpressure = false;
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> kafka) {
        commit(kafka, lanes.values());
    }

    private void commit(KafkaConsumer<byte[], byte[]> kafka, Collection<Lane> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Lane lane : which) {
            long watermark = lane.watermark();
            if (watermark > lane.committed) offsets.put(lane.partition, new OffsetAndMetadata(watermark));
        }
        if (offsets.isEmpty()) return;
        kafka.commitSync(offsets, COMMIT_TIMEOUT);
        for (Lane lane : which) {
            OffsetAndMetadata done = offsets.get(lane.partition);
            if (done != null) lane.committed = done.offset();
        }
    }

    /** Drops partitions this consumer no longer owns; commits first when they were revoked in good order. */
    private final class Listener implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> kafka;

        Listener(KafkaConsumer<byte[], byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<Lane> revoked = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                Lane lane = lanes.get(partition);
                if (lane != null) revoked.add(lane);
            }
            try {
                commit(kafka, revoked);
            } catch (RuntimeException e) {
                log.warn("Kafka consumer {}: commit before giving up {} failed: {}", options.name(), partitions,
                        Failures.reason(e));
            }
            partitions.forEach(lanes::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(lanes::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // lanes start with their first record; backpressure pauses new partitions on the next round
        }
    }

    /** A failure to dead-letter a record of one partition: the partition is read again from its committed offset. */
    private static final class LaneFailure extends RuntimeException {
        LaneFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A message taken from a partition and not done yet. */
    private static final class Item {
        final ConsumerRecord<byte[], byte[]> record;
        final Map<String, String> headers;
        final Message message;
        final List<Attempt> attempts = new ArrayList<>();
        Instant due;

        Item(ConsumerRecord<byte[], byte[]> record, Map<String, String> headers, Message message) {
            this.record = record;
            this.headers = headers;
            this.message = message;
        }
    }

    /** The state of one assigned partition. */
    private final class Lane {
        final TopicPartition partition;
        /** Offsets taken and not done: waiting messages and those queued behind them. */
        final TreeSet<Long> open = new TreeSet<>();
        /** Per stream with a waiting message: that message first, then the stream's later ones. */
        final Map<String, Deque<Item>> streams = new LinkedHashMap<>();
        long next = -1;
        long committed = -1;

        Lane(TopicPartition partition) {
            this.partition = partition;
        }

        /** The offset to commit: the oldest one not done, or the one after the last record taken. */
        long watermark() {
            return open.isEmpty() ? next : open.first();
        }

        void take(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
            long offset = record.offset();
            next = offset + 1;
            Map<String, String> headers = KafkaHeaders.fromKafka(record.headers());
            if (headers.containsKey(KafkaHeaders.CONTROL)) return;
            open.add(offset);
            Message message;
            try {
                message = MessageHeaders.decode(headers, text(record.value()));
            } catch (InvalidMessageException e) {
                lastError.set(Failures.reason(e));
                deadLetter(record, headers, e, List.of(new Attempt(1, clock.instant(), Failures.reason(e))));
                open.remove(offset);
                return;
            }
            if (!options.accepts(message.routingKey())) {
                open.remove(offset);
                return;
            }
            Item item = new Item(record, headers, message);
            Deque<Item> queue = streams.get(message.stream());
            if (queue != null) {
                queue.add(item);
                return;
            }
            queue = new ArrayDeque<>();
            queue.add(item);
            streams.put(message.stream(), queue);
            drain(message.stream(), queue);
        }

        /** Tries again each waiting message whose time has come, and the messages queued behind it. */
        void runDue() throws InterruptedException {
            Instant now = clock.instant();
            for (Map.Entry<String, Deque<Item>> entry : List.copyOf(streams.entrySet())) {
                Item head = entry.getValue().peek();
                if (head != null && head.due != null && !head.due.isAfter(now)) drain(entry.getKey(), entry.getValue());
            }
        }

        /** Hands the stream's messages to the handler in order until one has to wait (or none is left). */
        private void drain(String stream, Deque<Item> queue) throws InterruptedException {
            while (!queue.isEmpty()) {
                Item head = queue.peek();
                if (head.due != null && head.due.isAfter(clock.instant())) return;
                if (!attempt(head)) return;
                queue.poll();
                open.remove(head.record.offset());
            }
            streams.remove(stream);
        }

        /** One attempt; true when the message is done (handled or dead-lettered), false when it waits for a retry. */
        private boolean attempt(Item item) throws InterruptedException {
            try {
                handler.handle(item.message);
                handled.incrementAndGet();
                return true;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                Instant now = clock.instant();
                String reason = Failures.reason(e);
                lastError.set(reason);
                item.attempts.add(new Attempt(item.attempts.size() + 1, now, reason));
                Optional<Duration> wait = RetryPolicy.retryable(e)
                        ? options.retry().delayAfter(item.attempts.size()) : Optional.empty();
                if (wait.isEmpty()) {
                    deadLetter(item.record, item.headers, e, item.attempts);
                    return true;
                }
                item.due = now.plus(wait.get());
                retried.incrementAndGet();
                log.debug("Kafka consumer {}: {} of {} failed (attempt {}), next attempt at {}: {}", options.name(),
                        item.message.type(), item.message.stream(), item.attempts.size(), item.due, reason);
                return false;
            }
        }

        /**
         * Writes the record to the dead-letter topic (waiting for the acknowledgement), then parks it in the
         * {@link DeadLetterStore} under an id derived from consumer, topic, partition and offset, so doing it again
         * after a rewind or a crash stores no second letter.
         */
        private void deadLetter(ConsumerRecord<byte[], byte[]> record, Map<String, String> headers, Exception error,
                                List<Attempt> attempts) {
            Instant at = clock.instant();
            UUID id = UUID.nameUUIDFromBytes(("factum-kafka:" + options.name() + ":" + record.topic() + ":"
                    + record.partition() + ":" + record.offset()).getBytes(StandardCharsets.UTF_8));
            Map<String, String> letterHeaders = new LinkedHashMap<>(headers);
            letterHeaders.put(KafkaHeaders.ORIGINAL_TOPIC, record.topic());
            letterHeaders.put(KafkaHeaders.ORIGINAL_PARTITION, Integer.toString(record.partition()));
            letterHeaders.put(KafkaHeaders.ORIGINAL_OFFSET, Long.toString(record.offset()));
            String body = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
            DeadLetter letter = new DeadLetter(id, options.name(), letterHeaders, body, Failures.reason(error),
                    Failures.stackSummary(error), attempts, at, DeadLetterState.PARKED, Optional.empty(),
                    Optional.empty());

            RecordHeaders dltHeaders = new RecordHeaders(record.headers().toArray());
            Map<String, String> added = new LinkedHashMap<>();
            added.put(KafkaHeaders.ORIGINAL_TOPIC, record.topic());
            added.put(KafkaHeaders.ORIGINAL_PARTITION, Integer.toString(record.partition()));
            added.put(KafkaHeaders.ORIGINAL_OFFSET, Long.toString(record.offset()));
            added.put(KafkaHeaders.DLT_CONSUMER, options.name());
            added.put(KafkaHeaders.DLT_REASON, letter.reason());
            added.put(KafkaHeaders.DLT_ATTEMPTS, Integer.toString(attempts.size()));
            for (Attempt attempt : attempts) {
                added.put(KafkaHeaders.DLT_ATTEMPT_PREFIX + attempt.number(), attempt.at() + " " + attempt.error());
            }
            added.put(KafkaHeaders.DLT_AT, at.toString());
            added.put(KafkaHeaders.DLT_LETTER_ID, id.toString());
            added.forEach((name, value) -> {
                dltHeaders.remove(name);
                dltHeaders.add(name, value.getBytes(StandardCharsets.UTF_8));
            });
            try {
                deadLetterProducer.sendAll(List.of(new ProducerRecord<>(deadLetterTopic, null, record.key(),
                        record.value(), dltHeaders)));
            } catch (ConfirmingProducer.SendFailure e) {
                throw new LaneFailure("cannot write the dead letter of " + record.topic() + "-" + record.partition()
                        + "@" + record.offset() + " to " + deadLetterTopic + ": " + e.getMessage(), e);
            }
            try {
                deadLetters.add(letter);
            } catch (RuntimeException e) {
                throw new LaneFailure("cannot store the dead letter of " + record.topic() + "-" + record.partition()
                        + "@" + record.offset() + ": " + Failures.reason(e), e);
            }
            deadLettered.incrementAndGet();
            log.warn("Kafka consumer {}: {}-{}@{} is a dead letter ({} attempt(s)): {}", options.name(),
                    record.topic(), record.partition(), record.offset(), attempts.size(), letter.reason());
        }
    }

    /** The body as text; bytes that are not UTF-8 make the message unreadable. */
    private static String text(byte[] value) {
        if (value == null) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMessageException("the body is not UTF-8 text", e);
        }
    }
}
