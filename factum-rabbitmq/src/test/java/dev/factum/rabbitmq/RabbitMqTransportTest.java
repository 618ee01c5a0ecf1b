// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import dev.factum.inbox.InMemoryInbox;
import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetters;
import dev.factum.retry.RetryPolicy;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHeaders;
import dev.factum.transport.PublishException;
import dev.factum.transport.RejectedMessageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RabbitMqTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** 4 attempts: retries after 50, 100 and 200 ms. */
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(50), 2.0, Duration.ofSeconds(1));

    private RabbitFixture rabbit;

    @BeforeEach
    void start() {
        rabbit = new RabbitFixture();
    }

    @AfterEach
    void stop() throws Exception {
        rabbit.close();
    }

    private static Message fullMessage() {
        return new Message(UUID.randomUUID(), "OrderCreated", "Order-42", 7, "corr-1", "cause-1",
                Optional.of("alice"), Optional.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                Message.JSON, "{\"orderId\":\"42\",\"total\":\"19.90\"}",
                Map.of("tenant", "acme", "schema", "2"), Instant.parse("2026-11-26T10:15:30.123456789Z"));
    }

    @Nested
    class Publish_and_consume {

        @Test
        void a_published_message_arrives_with_its_full_envelope() {
            List<Message> received = new CopyOnWriteArrayList<>();
            rabbit.consume(ConsumerOptions.of("billing", "Order.*"), received::add);
            Message sent = fullMessage();

            rabbit.transport.publish(List.of(sent));

            await().atMost(WAIT).until(() -> received.size() == 1);
            assertThat(received.get(0)).isEqualTo(sent);
        }

        @Test
        void the_amqp_message_is_persistent_with_id_type_timestamp_content_type_and_the_envelope_as_headers()
                throws Exception {
            String spy = rabbit.spy(rabbit.topology.eventsExchange(), "#");
            Message sent = fullMessage();

            rabbit.transport.publish(List.of(sent));

            List<GetResponse> taken = rabbit.drain(spy);
            assertThat(taken).hasSize(1);
            AMQP.BasicProperties properties = taken.get(0).getProps();
            assertThat(taken.get(0).getEnvelope().getRoutingKey()).isEqualTo("Order.OrderCreated");
            assertThat(properties.getDeliveryMode()).isEqualTo(2);
            assertThat(properties.getMessageId()).isEqualTo(sent.messageId().toString());
            assertThat(properties.getType()).isEqualTo("OrderCreated");
            assertThat(properties.getContentType()).isEqualTo(Message.JSON);
            assertThat(properties.getCorrelationId()).isEqualTo("corr-1");
            assertThat(properties.getTimestamp().toInstant()).isEqualTo(Instant.parse("2026-11-26T10:15:30Z"));
            Map<String, String> headers = new HashMap<>();
            properties.getHeaders().forEach((k, v) -> headers.put(k, v.toString()));
            assertThat(headers).isEqualTo(MessageHeaders.encode(sent));
            assertThat(new String(taken.get(0).getBody(), StandardCharsets.UTF_8)).isEqualTo(sent.body());
        }

        @Test
        void a_consumer_bound_to_Order_star_receives_Order_events_only() throws Exception {
            List<String> orders = new CopyOnWriteArrayList<>();
            List<String> everything = new CopyOnWriteArrayList<>();
            rabbit.consume(ConsumerOptions.of("orders", "Order.*"), m -> orders.add(m.routingKey()));
            rabbit.consume(ConsumerOptions.of("everything", "#"), m -> everything.add(m.routingKey()));

            rabbit.transport.publish(List.of(
                    RabbitFixture.message("Order-1", "OrderCreated", 1, "{}"),
                    RabbitFixture.message("Payment-1", "PaymentReceived", 2, "{}"),
                    RabbitFixture.message("Order-1", "OrderShipped", 3, "{}"),
                    RabbitFixture.message("OrderArchive-1", "OrderArchived", 4, "{}")));

            await().atMost(WAIT).until(() -> everything.size() == 4 && orders.size() == 2);
            // routing happened before the confirm: nothing else is on its way to the Order consumer
            assertThat(rabbit.depth(rabbit.topology.queue("orders"))).isZero();
            assertThat(orders).containsExactly("Order.OrderCreated", "Order.OrderShipped");
            assertThat(everything).containsExactly("Order.OrderCreated", "Payment.PaymentReceived",
                    "Order.OrderShipped", "OrderArchive.OrderArchived");
        }

        @Test
        void an_event_no_consumer_is_bound_to_is_kept_in_the_unrouted_queue() throws Exception {
            rabbit.declare(ConsumerOptions.of("orders", "Order.*"));

            rabbit.transport.publish(List.of(RabbitFixture.message("Shipping-1", "ParcelSent", 1, "{}")));

            assertThat(rabbit.depth(rabbit.topology.unroutedQueue())).isEqualTo(1);
            assertThat(rabbit.depth(rabbit.topology.queue("orders"))).isZero();
        }

        @Test
        void messages_of_one_consumer_arrive_in_publish_order() {
            List<Long> positions = new CopyOnWriteArrayList<>();
            rabbit.consume(ConsumerOptions.of("ordered", "#"), m -> positions.add(m.position()));
            List<Message> batch = IntStream.rangeClosed(1, 200)
                    .mapToObj(i -> RabbitFixture.message("Order-" + (i % 7), "OrderCreated", i, "{}")).toList();

            rabbit.transport.publish(batch);

            await().atMost(WAIT).until(() -> positions.size() == 200);
            assertThat(positions).isSorted();
        }

        @Test
        void prefetch_bounds_the_unacknowledged_messages_of_a_consumer() throws Exception {
            var release = new java.util.concurrent.CountDownLatch(1);
            List<Message> received = new CopyOnWriteArrayList<>();
            rabbit.consume(ConsumerOptions.of("slow", "#").withPrefetch(5), m -> {
                received.add(m);
                release.await();
            });

            rabbit.transport.publish(IntStream.rangeClosed(1, 50)
                    .mapToObj(i -> RabbitFixture.message("Order-1", "OrderCreated", i, "{}")).toList());

            await().atMost(WAIT).until(() -> received.size() == 1);
            // the broker holds back all but the 5 in flight (1 in the handler, 4 buffered in the client)
            await().atMost(WAIT).until(() -> rabbit.depth(rabbit.topology.queue("slow")) == 45);
            release.countDown();
            await().atMost(WAIT).until(() -> received.size() == 50);
        }
    }

    @Nested
    class Confirms {

        @Test
        void publish_returns_after_the_broker_confirmed_so_the_messages_are_in_the_queue() throws Exception {
            rabbit.declare(ConsumerOptions.of("later", "#"));

            rabbit.transport.publish(IntStream.rangeClosed(1, 300)
                    .mapToObj(i -> RabbitFixture.message("Order-1", "OrderCreated", i, "{}")).toList());

            assertThat(rabbit.depth(rabbit.topology.queue("later"))).isEqualTo(300);
        }

        @Test
        void publish_over_a_lost_connection_is_retryable_and_works_again_when_the_broker_is_back() throws Exception {
            rabbit.declare(ConsumerOptions.of("later", "#"));
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", URI.create(Broker.URI).getPort()).start()) {
                RabbitMqTransport viaProxy = rabbit.transport(Broker.config("unused")
                        .withConfirmTimeout(Duration.ofSeconds(2)).withUri(proxiedUri(proxy.port())));
                viaProxy.publish(List.of(RabbitFixture.message("Order-1", "OrderCreated", 1, "{}")));

                proxy.cut();

                assertThatThrownBy(() -> viaProxy.publish(List.of(RabbitFixture.message("Order-1", "OrderCreated", 2, "{}"))))
                        .isInstanceOfSatisfying(PublishException.class, e -> {
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.getMessage()).contains("RabbitMQ at 127.0.0.1:" + proxy.port());
                        });
                // still down: every try is a retryable failure, none half-sent
                assertThatThrownBy(() -> viaProxy.publish(List.of(RabbitFixture.message("Order-1", "OrderCreated", 2, "{}"))))
                        .isInstanceOfSatisfying(PublishException.class, e -> assertThat(e.retryable()).isTrue());

                proxy.start();
                viaProxy.publish(List.of(RabbitFixture.message("Order-1", "OrderCreated", 2, "{}")));
            }
            assertThat(rabbit.depth(rabbit.topology.queue("later"))).isEqualTo(2);
        }

        @Test
        void a_broker_that_does_not_confirm_in_time_gives_a_retryable_failure() throws Exception {
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", URI.create(Broker.URI).getPort()).start()) {
                RabbitMqTransport viaProxy = rabbit.transport(Broker.config("unused")
                        .withConfirmTimeout(Duration.ofMillis(300)).withUri(proxiedUri(proxy.port())));
                viaProxy.publish(List.of(RabbitFixture.message("Order-1", "OrderCreated", 1, "{}")));

                proxy.freeze();

                assertThatThrownBy(() -> viaProxy.publish(List.of(RabbitFixture.message("Order-1", "OrderCreated", 2, "{}"))))
                        .isInstanceOfSatisfying(PublishException.class, e -> {
                            assertThat(e.retryable()).isTrue();
                            assertThat(e.getMessage()).contains("did not confirm 1 message(s) within PT0.3S");
                        });
                proxy.thaw();
                viaProxy.publish(List.of(RabbitFixture.message("Order-1", "OrderCreated", 3, "{}")));
            }
        }

        @Test
        void a_body_larger_than_the_configured_maximum_is_refused_for_good_before_anything_is_sent() throws Exception {
            rabbit.declare(ConsumerOptions.of("later", "#"));
            RabbitMqTransport small = rabbit.transport(Broker.config("unused").withMaxMessageBytes(100));
            Message big = RabbitFixture.message("Order-1", "OrderCreated", 2, "{\"text\":\"" + "x".repeat(200) + "\"}");

            assertThatThrownBy(() -> small.publish(List.of(RabbitFixture.message("Order-1", "OrderCreated", 1, "{}"), big)))
                    .isInstanceOfSatisfying(PublishException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.messageId()).contains(big.messageId());
                        assertThat(e.getMessage()).contains("more than the 100");
                    });
            assertThat(rabbit.depth(rabbit.topology.queue("later"))).isZero();
        }

        @Test
        void publish_from_many_threads_at_once_confirms_every_message() throws Exception {
            rabbit.declare(ConsumerOptions.of("later", "#"));
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int batch = 0; batch < 10; batch++) {
                        rabbit.transport.publish(IntStream.range(0, 25).mapToObj(i -> RabbitFixture.message(
                                "Order-" + thread, "OrderCreated", 1 + i, "{}")).toList());
                    }
                }));
            }
            for (Thread thread : threads) thread.join();

            assertThat(rabbit.depth(rabbit.topology.queue("later"))).isEqualTo(8 * 10 * 25);
        }
    }

    private static URI proxiedUri(int port) {
        URI broker = URI.create(Broker.URI);
        return URI.create(broker.getScheme() + "://" + broker.getRawUserInfo() + "@127.0.0.1:" + port
                + (broker.getRawPath() == null ? "" : broker.getRawPath()));
    }

    @Nested
    class Retries {

        @Test
        void a_handler_that_fails_once_gets_the_message_again_through_the_delay_queue() throws Exception {
            ConsumerOptions options = ConsumerOptions.of("billing", "Order.*").withRetry(FAST);
            rabbit.declare(options);
            String returns = rabbit.spy(rabbit.topology.retryExchange(), "billing");
            List<UUID> calls = new CopyOnWriteArrayList<>();
            MessageConsumer consumer = rabbit.consume(options, m -> {
                calls.add(m.messageId());
                if (calls.size() == 1) throw new IllegalStateException("stock service down");
            });
            Message sent = fullMessage();

            rabbit.transport.publish(List.of(sent));

            await().atMost(WAIT).until(() -> consumer.status().handled() == 1);
            assertThat(calls).containsExactly(sent.messageId(), sent.messageId());
            assertThat(consumer.status().retried()).isEqualTo(1);
            assertThat(consumer.status().lastError()).contains("IllegalStateException: stock service down");
            assertThat(rabbit.deadLetters.list(DeadLetterQuery.all())).isEmpty();
            // the broker moved the copy from the 50 ms delay queue back to this consumer (and only to it)
            List<GetResponse> back = rabbit.drain(returns);
            assertThat(back).hasSize(1);
            Map<String, Object> headers = back.get(0).getProps().getHeaders();
            assertThat(text(headers.get(RabbitMqHeaders.ATTEMPTS))).isEqualTo("1");
            assertThat(text(headers.get(RabbitMqHeaders.RETRY_DELAY_MS))).isEqualTo("50");
            String delayQueue = rabbit.topology.delayQueue("billing", Duration.ofMillis(50));
            assertThat(text(headers.get(RabbitMqHeaders.RETRY_QUEUE))).isEqualTo(delayQueue);
            Map<String, Object> death = lastDeath(headers);
            assertThat(text(death.get("queue"))).isEqualTo(delayQueue);
            assertThat(text(death.get("reason"))).isEqualTo("expired");
            assertThat(RabbitMqHeaders.attempts(headers)).singleElement()
                    .satisfies(a -> assertThat(a.error()).isEqualTo("IllegalStateException: stock service down"));
        }

        @Test
        void a_retry_goes_back_to_the_failing_consumer_only() {
            ConsumerOptions failing = ConsumerOptions.of("failing", "Order.*").withRetry(FAST);
            List<UUID> failingCalls = new CopyOnWriteArrayList<>();
            List<UUID> otherCalls = new CopyOnWriteArrayList<>();
            MessageConsumer first = rabbit.consume(failing, m -> {
                failingCalls.add(m.messageId());
                if (failingCalls.size() == 1) throw new IllegalStateException("once");
            });
            rabbit.consume(ConsumerOptions.of("other", "Order.*").withRetry(FAST), m -> otherCalls.add(m.messageId()));

            rabbit.transport.publish(List.of(fullMessage()));

            await().atMost(WAIT).until(() -> first.status().handled() == 1);
            assertThat(failingCalls).hasSize(2);
            assertThat(otherCalls).hasSize(1);
        }

        @Test
        void each_retry_waits_in_the_delay_queue_of_its_delay_and_the_attempts_keep_their_order() throws Exception {
            ConsumerOptions options = ConsumerOptions.of("billing", "Order.*").withRetry(FAST);
            rabbit.declare(options);
            String returns = rabbit.spy(rabbit.topology.retryExchange(), "billing");
            MessageConsumer consumer = rabbit.consume(options, m -> {
                throw new IllegalStateException("always");
            });

            rabbit.transport.publish(List.of(fullMessage()));

            await().atMost(WAIT).until(() -> consumer.status().deadLettered() == 1);
            List<GetResponse> back = rabbit.drain(returns);
            assertThat(back).hasSize(3);
            List<Long> delays = List.of(50L, 100L, 200L);
            for (int i = 0; i < 3; i++) {
                Map<String, Object> headers = back.get(i).getProps().getHeaders();
                String delayQueue = rabbit.topology.delayQueue("billing", Duration.ofMillis(delays.get(i)));
                assertThat(text(headers.get(RabbitMqHeaders.ATTEMPTS))).isEqualTo(Integer.toString(i + 1));
                assertThat(text(headers.get(RabbitMqHeaders.RETRY_DELAY_MS))).isEqualTo(delays.get(i).toString());
                assertThat(text(lastDeath(headers).get("queue"))).as("delay queue of retry %d", i + 1).isEqualTo(delayQueue);
            }
            // each delay queue holds its messages exactly its delay: declaring it with its TTL is accepted ...
            try (Channel channel = rabbit.raw.createChannel()) {
                for (long delay : delays) {
                    Duration wait = Duration.ofMillis(delay);
                    channel.queueDeclare(rabbit.topology.delayQueue("billing", wait), true, false, false,
                            rabbit.topology.delayQueueArguments("billing", wait));
                }
            }
            // ... and with another TTL refused by the broker
            Channel refusing = rabbit.raw.createChannel(); // the broker closes it with the refusal
            Map<String, Object> other = new LinkedHashMap<>(rabbit.topology.delayQueueArguments("billing", Duration.ofMillis(50)));
            other.put(RabbitMqTopology.MESSAGE_TTL_ARG, 51L);
            assertThatThrownBy(() -> refusing.queueDeclare(rabbit.topology.delayQueue("billing", Duration.ofMillis(50)),
                    true, false, false, other)).isInstanceOf(IOException.class)
                    .hasStackTraceContaining("inequivalent arg 'x-message-ttl'");
            DeadLetter letter = rabbit.deadLetters.list(DeadLetterQuery.all()).get(0);
            List<Attempt> attempts = letter.attempts();
            assertThat(attempts).extracting(Attempt::number).containsExactly(1, 2, 3, 4);
            for (int i = 0; i < 3; i++) {
                // a retry never comes back before its delay (10 ms for the two clocks' granularity)
                assertThat(Duration.between(attempts.get(i).at(), attempts.get(i + 1).at()))
                        .isGreaterThanOrEqualTo(Duration.ofMillis(delays.get(i) - 10));
            }
        }

        @Test
        void a_poison_message_ends_on_the_dead_letter_queue_and_in_the_store_while_later_messages_flow() throws Exception {
            ConsumerOptions options = ConsumerOptions.of("billing", "Order.*").withRetry(FAST);
            rabbit.declare(options);
            Message poison = RabbitFixture.message("Order-1", "OrderCreated", 1, "{\"poison\":true}");
            List<Message> good = IntStream.rangeClosed(2, 21)
                    .mapToObj(i -> RabbitFixture.message("Order-" + i, "OrderCreated", i, "{}")).toList();
            List<Message> batch = new ArrayList<>();
            batch.add(poison);
            batch.addAll(good);
            // all 21 wait in the queue before the consumer starts, so each retry copy lines up behind them
            rabbit.transport.publish(batch);
            List<UUID> calls = new CopyOnWriteArrayList<>();
            MessageConsumer consumer = rabbit.consume(options, m -> {
                calls.add(m.messageId());
                if (m.body().contains("poison")) throw new IllegalStateException("cannot bill order 1");
            });

            await().atMost(WAIT).until(() -> consumer.status().deadLettered() == 1);

            List<UUID> expected = new ArrayList<>();
            expected.add(poison.messageId());
            good.forEach(m -> expected.add(m.messageId()));
            expected.addAll(List.of(poison.messageId(), poison.messageId(), poison.messageId()));
            assertThat(calls).as("the poison's retries come after the messages queued behind it").isEqualTo(expected);
            assertThat(consumer.status().handled()).isEqualTo(20);
            assertThat(consumer.status().retried()).isEqualTo(3);
            // on the dead-letter queue, with error and history
            List<GetResponse> dead = rabbit.drain(rabbit.topology.deadLetterQueue("billing"));
            assertThat(dead).hasSize(1);
            Map<String, Object> headers = dead.get(0).getProps().getHeaders();
            assertThat(text(headers.get(MessageHeaders.MESSAGE_ID))).isEqualTo(poison.messageId().toString());
            assertThat(text(headers.get(RabbitMqHeaders.ERROR))).isEqualTo("IllegalStateException: cannot bill order 1");
            assertThat(text(headers.get(RabbitMqHeaders.STACK))).contains("java.lang.IllegalStateException: cannot bill order 1");
            assertThat(text(headers.get(RabbitMqHeaders.CONSUMER))).isEqualTo("billing");
            assertThat(RabbitMqHeaders.attempts(headers)).hasSize(4)
                    .allSatisfy(a -> assertThat(a.error()).isEqualTo("IllegalStateException: cannot bill order 1"));
            assertThat(new String(dead.get(0).getBody(), StandardCharsets.UTF_8)).isEqualTo(poison.body());
            // and parked in the dead-letter store, the same letter
            List<DeadLetter> letters = rabbit.deadLetters.list(DeadLetterQuery.all());
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.id().toString()).isEqualTo(text(headers.get(RabbitMqHeaders.DEAD_LETTER_ID)));
                assertThat(letter.consumer()).isEqualTo("billing");
                assertThat(letter.state()).isEqualTo(DeadLetterState.PARKED);
                assertThat(letter.messageId()).contains(poison.messageId().toString());
                assertThat(letter.reason()).isEqualTo("IllegalStateException: cannot bill order 1");
                assertThat(letter.attempts()).hasSize(4);
                assertThat(letter.body()).isEqualTo(poison.body());
                assertThat(MessageHeaders.decode(letter.headers(), letter.body())).isEqualTo(poison);
            });
        }

        @Test
        void a_rejected_message_is_a_dead_letter_at_once_without_retries() throws Exception {
            MessageConsumer consumer = rabbit.consume(ConsumerOptions.of("billing", "Order.*").withRetry(FAST), m -> {
                throw new RejectedMessageException("unknown event type " + m.type());
            });

            rabbit.transport.publish(List.of(RabbitFixture.message("Order-1", "OrderTeleported", 1, "{}")));

            await().atMost(WAIT).until(() -> consumer.status().deadLettered() == 1);
            assertThat(consumer.status().retried()).isZero();
            DeadLetter letter = rabbit.deadLetters.list(DeadLetterQuery.all()).get(0);
            assertThat(letter.reason()).isEqualTo("RejectedMessageException: unknown event type OrderTeleported");
            assertThat(letter.attempts()).hasSize(1);
            assertThat(rabbit.depth(rabbit.topology.deadLetterQueue("billing"))).isEqualTo(1);
        }

        @Test
        void a_dead_letter_replayed_through_DeadLetters_runs_the_handler_once() {
            Set<UUID> broken = ConcurrentHashMap.newKeySet();
            List<UUID> handled = new CopyOnWriteArrayList<>();
            MessageConsumer consumer = rabbit.consume(ConsumerOptions.of("billing", "Order.*").withRetry(RetryPolicy.noRetry()),
                    m -> {
                        if (broken.add(m.messageId())) throw new IllegalStateException("first time");
                        handled.add(m.messageId());
                    });
            Message sent = fullMessage();
            rabbit.transport.publish(List.of(sent));
            await().atMost(WAIT).until(() -> consumer.status().deadLettered() == 1);
            DeadLetters operations = new DeadLetters(rabbit.deadLetters).register(consumer);
            UUID id = rabbit.deadLetters.list(DeadLetterQuery.all()).get(0).id();

            DeadLetter replayed = operations.replay(id);

            assertThat(replayed.state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(handled).containsExactly(sent.messageId());
            assertThat(consumer.status().handled()).isEqualTo(1);
        }
    }

    @Nested
    class Bad_messages_from_outside {

        private MessageConsumer consumer;
        private final List<Message> handled = new CopyOnWriteArrayList<>();

        @BeforeEach
        void consume() {
            consumer = rabbit.consume(ConsumerOptions.of("billing", "Order.*").withRetry(FAST), m -> {
                if (m.type().equals("OrderTeleported")) throw new RejectedMessageException("unknown event type OrderTeleported");
                handled.add(m);
            });
        }

        private Map<String, Object> envelope(String contentType) {
            Map<String, Object> headers = new HashMap<>(MessageHeaders.encode(RabbitFixture.message("Order-9", "OrderCreated", 9, "{}")));
            headers.put(MessageHeaders.CONTENT_TYPE, contentType);
            return headers;
        }

        private DeadLetter onlyLetter() {
            await().atMost(WAIT).until(() -> consumer.status().deadLettered() == 1);
            return rabbit.deadLetters.list(DeadLetterQuery.all()).get(0);
        }

        @Test
        void a_body_that_is_not_JSON_is_a_dead_letter_naming_the_problem() throws Exception {
            rabbit.publishRaw("Order.OrderCreated", envelope(Message.JSON), "this is not json{");

            DeadLetter letter = onlyLetter();
            assertThat(letter.reason()).startsWith("InvalidMessageException: the body is not JSON");
            assertThat(letter.body()).isEqualTo("this is not json{");
            assertThat(letter.headers()).containsEntry("amqp-routing-key", "Order.OrderCreated")
                    .containsEntry("amqp-exchange", rabbit.topology.eventsExchange());
        }

        @Test
        void a_message_without_the_envelope_headers_is_a_dead_letter_naming_the_missing_header() throws Exception {
            rabbit.publishRaw("Order.OrderCreated", new AMQP.BasicProperties.Builder().contentType(Message.JSON)
                    .messageId("foreign-1").build(), "{\"id\":1}".getBytes(StandardCharsets.UTF_8));

            DeadLetter letter = onlyLetter();
            assertThat(letter.reason()).isEqualTo("InvalidMessageException: header factum-message-id is missing");
            assertThat(letter.headers()).containsEntry("amqp-message-id", "foreign-1")
                    .containsEntry("amqp-content-type", Message.JSON);
            assertThat(letter.attempts()).hasSize(1);
        }

        @Test
        void a_wrong_content_type_is_a_dead_letter_naming_it() throws Exception {
            rabbit.publishRaw("Order.OrderCreated", envelope("text/plain"), "{}");

            assertThat(onlyLetter().reason())
                    .isEqualTo("InvalidMessageException: content type 'text/plain' is not application/json");
        }

        @Test
        void a_body_that_is_not_UTF_8_is_a_dead_letter_naming_it() throws Exception {
            rabbit.publishRaw("Order.OrderCreated", new AMQP.BasicProperties.Builder().headers(envelope(Message.JSON)).build(),
                    new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});

            assertThat(onlyLetter().reason()).isEqualTo("InvalidMessageException: the body is not UTF-8 text");
        }

        @Test
        void a_malformed_attempt_history_is_a_dead_letter_naming_the_header() throws Exception {
            Map<String, Object> headers = envelope(Message.JSON);
            headers.put(RabbitMqHeaders.ATTEMPTS, "many");
            rabbit.publishRaw("Order.OrderCreated", headers, "{}");

            assertThat(onlyLetter().reason())
                    .isEqualTo("InvalidMessageException: header x-factum-attempts 'many' is not a number of attempts");
        }

        @Test
        void an_unknown_type_rejected_by_the_handler_is_a_dead_letter_at_once() throws Exception {
            Map<String, Object> headers = envelope(Message.JSON);
            headers.put(MessageHeaders.TYPE, "OrderTeleported");
            rabbit.publishRaw("Order.OrderTeleported", headers, "{}");

            DeadLetter letter = onlyLetter();
            assertThat(letter.reason()).isEqualTo("RejectedMessageException: unknown event type OrderTeleported");
            assertThat(consumer.status().retried()).isZero();
        }

        @Test
        void bad_messages_go_to_the_dead_letter_queue_and_good_ones_after_them_are_handled() throws Exception {
            rabbit.publishRaw("Order.OrderCreated", envelope(Message.JSON), "not json");
            rabbit.publishRaw("Order.OrderCreated", envelope("text/xml"), "<a/>");
            Message good = RabbitFixture.message("Order-1", "OrderCreated", 1, "{}");
            rabbit.transport.publish(List.of(good));

            await().atMost(WAIT).until(() -> handled.size() == 1 && consumer.status().deadLettered() == 2);
            assertThat(handled).containsExactly(good);
            List<GetResponse> dead = rabbit.drain(rabbit.topology.deadLetterQueue("billing"));
            assertThat(dead).extracting(r -> text(r.getProps().getHeaders().get(RabbitMqHeaders.ERROR))).satisfiesExactly(
                    first -> assertThat(first).startsWith("InvalidMessageException: the body is not JSON: Unrecognized token 'not'"),
                    second -> assertThat(second).isEqualTo("InvalidMessageException: content type 'text/xml' is not application/json"));
        }
    }

    @Nested
    class Exactly_once_effect {

        @Test
        void with_an_inbox_a_redelivered_or_resent_message_has_its_effect_once() throws Exception {
            InMemoryInbox inbox = new InMemoryInbox();
            Map<UUID, Integer> effects = new ConcurrentHashMap<>();
            Set<UUID> crashedOnce = ConcurrentHashMap.newKeySet();
            List<UUID> calls = new CopyOnWriteArrayList<>();
            MessageConsumer consumer = rabbit.consume(ConsumerOptions.of("billing", "Order.*").withRetry(FAST), m -> {
                calls.add(m.messageId());
                inbox.handleOnce("billing", m, tx -> effects.merge(m.messageId(), 1, Integer::sum));
                // every third message: the effect committed, then the process "fails" before the ack
                if (m.position() % 3 == 0 && crashedOnce.add(m.messageId())) throw new IllegalStateException("crash after commit");
            });
            List<Message> batch = IntStream.rangeClosed(1, 30)
                    .mapToObj(i -> RabbitFixture.message("Order-" + i, "OrderCreated", i, "{}")).toList();

            rabbit.transport.publish(batch);
            rabbit.transport.publish(batch.subList(10, 20)); // the relay sending a batch again after a crash

            await().atMost(WAIT).until(() -> consumer.status().handled() == 40);
            assertThat(calls).hasSize(50);
            assertThat(effects).hasSize(30).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        }
    }

    private static String text(Object value) {
        if (value instanceof LongString || value instanceof String || value instanceof Number) return value.toString();
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lastDeath(Map<String, Object> headers) {
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) headers.get("x-death");
        assertThat(deaths).as("x-death header (the broker's record of dead-lettering)").isNotEmpty();
        return deaths.get(0);
    }
}
