// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import dev.factum.kafka.broker.KafkaBrokerExtension;
import dev.factum.kafka.broker.KafkaEndpoint;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetters;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.RetryPolicy;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHeaders;
import dev.factum.transport.RejectedMessageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.factum.kafka.KafkaTests.header;
import static dev.factum.kafka.KafkaTests.message;
import static dev.factum.kafka.KafkaTests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBrokerExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaConsumeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final KafkaEndpoint broker;
    private final ManualClock clock = new ManualClock();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private KafkaConfig config;
    private KafkaTransport transport;

    KafkaConsumeTest(KafkaEndpoint broker) {
        this.broker = broker;
    }

    @BeforeEach
    void start() {
        config = KafkaTests.config(broker.bootstrapServers()).withPartitions(1);
        transport = KafkaTransport.start(config, deadLetters, clock);
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    @Test
    void offsets_are_committed_only_after_handling_so_a_stuck_consumer_s_message_goes_to_the_next_one() throws Exception {
        // a consumer that stops polling for 3 s leaves the group, as a dead process would
        config = config.withConsumerProperty("max.poll.interval.ms", "3000");
        transport.close();
        transport = KafkaTransport.start(config, deadLetters, clock);
        Message m1 = message("Order-1", "OrderPlaced");
        Message m2 = message("Order-1", "OrderPaid");
        Message m3 = message("Order-1", "OrderShipped");
        transport.publish(List.of(m1, m2, m3));
        CountDownLatch release = new CountDownLatch(1);
        List<Message> seenByFirst = new CopyOnWriteArrayList<>();
        List<Message> seenBySecond = new CopyOnWriteArrayList<>();
        ConsumerOptions options = ConsumerOptions.of("shipping", "Order.*").withPrefetch(1);

        MessageConsumer first = transport.consume(options, message -> {
            seenByFirst.add(message);
            if (message.equals(m2)) release.await(); // takes m2, never returns it: a consumer dying mid-message
        });
        await().atMost(WAIT).until(() -> seenByFirst.contains(m2));
        MessageConsumer second = transport.consume(options, seenBySecond::add);
        try {
            await().atMost(WAIT).until(() -> seenBySecond.size() >= 2);
            assertThat(seenBySecond).as("m1 was committed by the first consumer; m2 was not")
                    .containsExactly(m2, m3);
        } finally {
            release.countDown();
            first.close();
            second.close();
        }
    }

    @Test
    void a_binding_to_one_type_filters_by_the_type_header_and_a_wildcard_binding_reads_every_category() {
        Message placed = message("Order-5", "OrderPlaced");
        Message cancelled = message("Order-5", "OrderCancelled");
        Message paid = message("Payment-5", "PaymentCaptured");
        List<Message> placedOnly = new CopyOnWriteArrayList<>();
        List<Message> everything = new CopyOnWriteArrayList<>();
        // the wildcard consumer subscribes by pattern: create the topics first so its first metadata finds them
        KafkaTopics.create(config, List.of("Order", "Payment"), List.of());

        try (MessageConsumer typed = transport.consume(ConsumerOptions.of("placed", "Order.OrderPlaced"), placedOnly::add);
             MessageConsumer all = transport.consume(ConsumerOptions.of("audit", "#"), everything::add)) {
            transport.publish(List.of(placed, cancelled, paid));
            await().atMost(WAIT).until(() -> everything.size() == 3);
            await().atMost(WAIT).until(() -> placedOnly.size() == 1);
            assertThat(placedOnly).containsExactly(placed);
            assertThat(everything).containsExactlyInAnyOrder(placed, cancelled, paid);
            assertThat(typed.status().handled()).isEqualTo(1);
        }
    }

    @Test
    void a_rejected_message_goes_to_the_dead_letter_topic_and_store_at_once_and_the_others_flow() {
        Message good1 = message("Order-1", "OrderPlaced");
        Message poison = message("Order-2", "OrderPlaced", "{\"total\":\"lots\"}");
        Message good2 = message("Order-3", "OrderPlaced");
        transport.publish(List.of(good1, poison, good2));
        List<Message> handled = new CopyOnWriteArrayList<>();

        try (MessageConsumer consumer = transport.consume(ConsumerOptions.of("billing", "Order.*"), message -> {
            if (message.equals(poison)) throw new RejectedMessageException("total 'lots' is not a decimal");
            handled.add(message);
        })) {
            await().atMost(WAIT).until(() -> handled.size() == 2 && consumer.status().deadLettered() == 1);
            assertThat(handled).containsExactly(good1, good2);
            assertThat(consumer.status().retried()).isZero();
        }
        DeadLetter letter = onlyLetter("billing");
        assertThat(letter.reason()).isEqualTo("RejectedMessageException: total 'lots' is not a decimal");
        assertThat(letter.attempts()).hasSize(1);
        assertThat(letter.messageId()).contains(poison.messageId().toString());
        assertThat(letter.body()).isEqualTo(poison.body());
        assertThat(letter.headers()).containsEntry(KafkaHeaders.ORIGINAL_TOPIC, config.naming().topic("Order"))
                .containsEntry(KafkaHeaders.ORIGINAL_PARTITION, "0").containsKey(KafkaHeaders.ORIGINAL_OFFSET);

        ConsumerRecord<byte[], byte[]> dlt = KafkaTests.readMessages(broker.bootstrapServers(),
                config.naming().deadLetterTopic("billing"), 1, 1).get(0);
        assertThat(text(dlt.key())).isEqualTo("Order-2");
        assertThat(text(dlt.value())).isEqualTo(poison.body());
        assertThat(header(dlt, MessageHeaders.MESSAGE_ID)).isEqualTo(poison.messageId().toString());
        assertThat(header(dlt, KafkaHeaders.DLT_REASON)).isEqualTo(letter.reason());
        assertThat(header(dlt, KafkaHeaders.DLT_CONSUMER)).isEqualTo("billing");
        assertThat(header(dlt, KafkaHeaders.DLT_LETTER_ID)).isEqualTo(letter.id().toString());
        assertThat(header(dlt, KafkaHeaders.ORIGINAL_OFFSET)).isEqualTo(letter.headers().get(KafkaHeaders.ORIGINAL_OFFSET));
    }

    @Test
    void a_failing_message_is_retried_at_its_due_times_then_dead_lettered_with_every_attempt_and_can_be_replayed() {
        RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));
        Message failing = message("Stock-1", "StockReserved");
        Message other = message("Stock-2", "StockReserved");
        AtomicBoolean stockServiceUp = new AtomicBoolean(false);
        List<Message> handled = new CopyOnWriteArrayList<>();
        List<Message> tried = new CopyOnWriteArrayList<>();
        transport.publish(List.of(failing, other));

        try (MessageConsumer consumer = transport.consume(
                ConsumerOptions.of("stock", "Stock.*").withRetry(policy), message -> {
                    tried.add(message);
                    if (message.equals(failing) && !stockServiceUp.get()) throw new IllegalStateException("stock service down");
                    handled.add(message);
                })) {
            await().atMost(WAIT).until(() -> handled.contains(other));
            assertThat(tried).as("the clock has not moved: no retry yet").containsExactly(failing, other);

            clock.advance(Duration.ofSeconds(1));
            await().atMost(WAIT).until(() -> tried.size() == 3);
            clock.advance(Duration.ofMillis(1999));
            assertThat(consumer.status().deadLettered()).isZero();
            clock.advance(Duration.ofMillis(1));
            await().atMost(WAIT).until(() -> consumer.status().deadLettered() == 1);
            assertThat(tried).filteredOn(failing::equals).hasSize(3);
            assertThat(consumer.status().retried()).isEqualTo(2);
            assertThat(consumer.status().lastError()).contains("IllegalStateException: stock service down");

            DeadLetter letter = onlyLetter("stock");
            assertThat(letter.attempts()).extracting(dev.factum.retry.Attempt::at).containsExactly(
                    ManualClock.START, ManualClock.START.plusSeconds(1), ManualClock.START.plusSeconds(3));
            assertThat(letter.reason()).isEqualTo("IllegalStateException: stock service down");
            ConsumerRecord<byte[], byte[]> dlt = KafkaTests.readMessages(broker.bootstrapServers(),
                    config.naming().deadLetterTopic("stock"), 1, 1).get(0);
            assertThat(header(dlt, KafkaHeaders.DLT_ATTEMPTS)).isEqualTo("3");
            assertThat(header(dlt, KafkaHeaders.DLT_ATTEMPT_PREFIX + "3"))
                    .isEqualTo(ManualClock.START.plusSeconds(3) + " IllegalStateException: stock service down");

            stockServiceUp.set(true);
            DeadLetters operations = new DeadLetters(deadLetters, clock).register(consumer);
            DeadLetter replayed = operations.replay(letter.id());
            assertThat(replayed.state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(handled).containsExactly(other, failing);
        }
    }

    @Test
    void a_failing_stream_holds_back_only_its_own_later_messages_even_on_a_shared_partition() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5));
        Message a1 = message("Account-a", "Deposited");
        Message b1 = message("Account-b", "Deposited");
        Message a2 = message("Account-a", "Withdrawn");
        Message b2 = message("Account-b", "Withdrawn");
        Message a3 = message("Account-a", "Closed");
        Map<Message, Integer> failuresLeft = new ConcurrentHashMap<>(Map.of(a1, 2));
        List<Message> handled = new CopyOnWriteArrayList<>();
        List<Message> tried = new CopyOnWriteArrayList<>();
        transport.publish(List.of(a1, b1, a2, b2, a3));

        try (MessageConsumer consumer = transport.consume(
                ConsumerOptions.of("ledger", "Account.*").withRetry(policy), message -> {
                    tried.add(message);
                    if (failuresLeft.merge(message, -1, Integer::sum) >= 0) {
                        throw new IllegalStateException("ledger locked");
                    }
                    handled.add(message);
                })) {
            await().atMost(WAIT).until(() -> handled.size() == 2);
            assertThat(handled).as("stream b flows on the same partition while a waits").containsExactly(b1, b2);
            assertThat(tried).filteredOn(a1::equals).hasSize(1);

            clock.advance(Duration.ofSeconds(10));
            await().atMost(WAIT).until(() -> tried.stream().filter(a1::equals).count() == 2);
            assertThat(handled).as("a2 and a3 wait behind a1").containsExactly(b1, b2);

            clock.advance(Duration.ofSeconds(20));
            await().atMost(WAIT).until(() -> handled.size() == 5);
            assertThat(handled).containsExactly(b1, b2, a1, a2, a3);
            assertThat(consumer.status().retried()).isEqualTo(2);
            assertThat(consumer.status().deadLettered()).isZero();
        }
    }

    @Test
    void messages_from_outside_that_are_no_factum_messages_are_dead_lettered_with_a_clear_reason() throws Exception {
        Message valid = message("Order-9", "OrderPlaced");
        Map<String, String> envelope = MessageHeaders.encode(message("Order-8", "OrderPlaced"));
        Map<String, String> textPlain = new LinkedHashMap<>(MessageHeaders.encode(message("Order-7", "OrderPlaced")));
        textPlain.put(MessageHeaders.CONTENT_TYPE, "text/plain");
        String topic = config.naming().topic("Order");
        KafkaTopics.create(config, List.of("Order"), List.of());
        KafkaTests.sendRaw(broker.bootstrapServers(), List.of(
                KafkaTests.raw(topic, "Order-8", "this is not json", envelope),
                KafkaTests.raw(topic, "x", "{\"a\":1}", Map.of()),
                KafkaTests.raw(topic, "Order-7", "{\"a\":1}", textPlain)));
        transport.publish(List.of(valid));
        List<Message> handled = new CopyOnWriteArrayList<>();

        try (MessageConsumer consumer = transport.consume(ConsumerOptions.of("intake", "Order.*"), handled::add)) {
            await().atMost(WAIT).until(() -> handled.size() == 1 && consumer.status().deadLettered() == 3);
        }
        assertThat(handled).containsExactly(valid);
        List<String> reasons = deadLetters.list(DeadLetterQuery.all().consumer("intake")).stream()
                .map(DeadLetter::reason).toList();
        assertThat(reasons).hasSize(3).anySatisfy(r -> assertThat(r).contains("the body is not JSON"))
                .anySatisfy(r -> assertThat(r).contains("header factum-message-id is missing"))
                .anySatisfy(r -> assertThat(r).contains("content type 'text/plain' is not application/json"));
        List<ConsumerRecord<byte[], byte[]>> dlt = KafkaTests.readMessages(broker.bootstrapServers(),
                config.naming().deadLetterTopic("intake"), 1, 3);
        assertThat(dlt).extracting(record -> header(record, KafkaHeaders.DLT_REASON))
                .containsExactlyInAnyOrderElementsOf(reasons);
        assertThat(dlt).extracting(record -> text(record.value()))
                .containsExactly("this is not json", "{\"a\":1}", "{\"a\":1}");
    }

    @Test
    void a_consumer_pauses_when_prefetch_messages_wait_and_goes_on_when_they_are_done() throws Exception {
        RetryPolicy policy = new RetryPolicy(2, Duration.ofSeconds(5), 1.0, Duration.ofSeconds(5));
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) batch.add(message("Job-" + i, "JobQueued"));
        Set<Message> healthy = ConcurrentHashMap.newKeySet();
        List<Message> handled = new CopyOnWriteArrayList<>();
        List<Message> tried = new CopyOnWriteArrayList<>();
        transport.publish(batch);

        try (MessageConsumer consumer = transport.consume(
                ConsumerOptions.of("jobs", "Job.*").withRetry(policy).withPrefetch(2), message -> {
                    tried.add(message);
                    if (!healthy.contains(message)) throw new IllegalStateException("worker busy");
                    handled.add(message);
                })) {
            await().atMost(WAIT).until(() -> tried.size() >= 2);
            // the messages waiting reach the prefetch of 2: the consumer takes no more until they are done
            Thread.sleep(1_000);
            int taken = tried.size();
            Thread.sleep(1_000);
            assertThat(tried).as("paused: nothing more taken while two messages wait").hasSize(taken);
            assertThat(taken).isLessThan(batch.size());
            assertThat(handled).isEmpty();
            healthy.addAll(batch);
            clock.advance(Duration.ofSeconds(5));
            await().atMost(WAIT).until(() -> handled.size() == 6);
            assertThat(handled).containsExactlyInAnyOrderElementsOf(batch);
        }
    }

    private DeadLetter onlyLetter(String consumer) {
        List<DeadLetter> letters = deadLetters.list(DeadLetterQuery.all().consumer(consumer));
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }
}
