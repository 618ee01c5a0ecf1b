// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterNotFoundException;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetters;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.ManualClock;
import dev.factum.retry.RecordingSleeper;
import dev.factum.retry.RetryPolicy;
import dev.factum.store.AppendResult;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;
import dev.factum.subscription.InMemoryCheckpointStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.factum.retry.ManualClock.START;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InProcessTransportTest {
    private static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final ManualClock clock = new ManualClock();
    private final RecordingSleeper sleeper = new RecordingSleeper(clock);
    private final InMemoryEventStore store = new InMemoryEventStore(StoreLimits.DEFAULT, clock);
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final InProcessTransport transport =
            new InProcessTransport(store, checkpoints, deadLetters, clock, sleeper, Duration.ofMillis(50));
    private int appended;

    @AfterEach
    void close() {
        transport.close();
        store.close();
    }

    /** Appends one event and returns the message a consumer should receive for it. */
    private Message append(String stream, String type) {
        return append(stream, type, Metadata.create());
    }

    private Message append(String stream, String type, Metadata metadata) {
        appended++;
        AppendResult result = store.append(StreamId.parse(stream), ExpectedVersion.any(),
                List.of(new NewEvent(type, "{\"n\":" + appended + "}", metadata)));
        RecordedEvent event = store.readAll(ReadAllOptions.after(Position.of(result.lastPosition().value() - 1))
                .limit(1)).get(0);
        return Message.of(event);
    }

    private Position checkpoint(String consumer) {
        return checkpoints.load("transport:" + consumer).orElse(Position.BEGINNING);
    }

    private void awaitCaughtUp(String consumer) {
        await().atMost(ofSeconds(10)).until(() -> checkpoint(consumer).equals(store.headPosition()));
    }

    private static List<String> routingKeys(List<Message> messages) {
        return messages.stream().map(Message::routingKey).toList();
    }

    @Nested
    class delivery {
        @Test
        void appended_events_reach_a_consumer_as_messages_in_position_order() {
            List<Message> expected = new ArrayList<>();
            for (int i = 0; i < 12; i++) expected.add(append("Order-" + (i % 3), "OrderSubmitted"));
            List<Message> received = new CopyOnWriteArrayList<>();

            transport.consume(ConsumerOptions.of("billing", "#").withPrefetch(5), received::add);
            for (int i = 0; i < 4; i++) expected.add(append("Order-" + i, "OrderShipped"));

            await().atMost(ofSeconds(10)).until(() -> received.size() == expected.size());
            assertThat(received).containsExactlyElementsOf(expected);
            assertThat(received).extracting(Message::position).isSorted().doesNotHaveDuplicates();
        }

        @Test
        void the_envelope_is_taken_from_the_events_metadata() {
            Metadata metadata = Metadata.create().withCorrelationId("conversation-9").withCausationId("command-3")
                    .withUserId("ada").withTraceParent(TRACE).withHeader("tenant", "acme");
            append("Order-7", "OrderSubmitted", metadata);
            List<Message> received = new CopyOnWriteArrayList<>();

            transport.consume(ConsumerOptions.of("billing", "Order.*"), received::add);

            await().atMost(ofSeconds(10)).until(() -> received.size() == 1);
            RecordedEvent stored = store.readAll(ReadAllOptions.fromStart()).get(0);
            Message message = received.get(0);
            assertThat(message.messageId()).isEqualTo(metadata.eventId());
            assertThat(message.type()).isEqualTo("OrderSubmitted");
            assertThat(message.stream()).isEqualTo("Order-7");
            assertThat(message.category()).isEqualTo("Order");
            assertThat(message.routingKey()).isEqualTo("Order.OrderSubmitted");
            assertThat(message.position()).isEqualTo(stored.position().value());
            assertThat(message.correlationId()).isEqualTo("conversation-9");
            assertThat(message.causationId()).isEqualTo("command-3");
            assertThat(message.userId()).contains("ada");
            assertThat(message.traceParent()).contains(TRACE);
            assertThat(message.headers()).containsExactly(java.util.Map.entry("tenant", "acme"));
            assertThat(message.contentType()).isEqualTo(Message.JSON);
            assertThat(message.body()).isEqualTo(stored.data());
            assertThat(message.timestamp()).isEqualTo(stored.recordedAt());
        }

        @Test
        void two_consumers_each_get_every_message() {
            List<Message> expected = List.of(append("Order-1", "OrderSubmitted"), append("Payment-1", "PaymentReceived"),
                    append("Order-1", "OrderShipped"));
            List<Message> billing = new CopyOnWriteArrayList<>();
            List<Message> audit = new CopyOnWriteArrayList<>();

            transport.consume(ConsumerOptions.of("billing", "#"), billing::add);
            transport.consume(ConsumerOptions.of("audit", "#"), audit::add);

            awaitCaughtUp("billing");
            awaitCaughtUp("audit");
            assertThat(billing).containsExactlyElementsOf(expected);
            assertThat(audit).containsExactlyElementsOf(expected);
        }

        @Test
        void publish_confirms_at_once_because_consumers_read_the_store() {
            Message message = append("Order-1", "OrderSubmitted");

            transport.publish(List.of(message));

            assertThat(transport.name()).isEqualTo("in-process");
            assertThatThrownBy(() -> transport.publish(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class bindings {
        @Test
        void a_category_pattern_one_type_and_hash_each_take_what_they_match() {
            append("Order-1", "OrderSubmitted");
            append("Payment-1", "PaymentReceived");
            append("Order-1", "OrderShipped");
            append("Order-2", "OrderSubmitted");
            List<Message> orders = new CopyOnWriteArrayList<>();
            List<Message> submitted = new CopyOnWriteArrayList<>();
            List<Message> everything = new CopyOnWriteArrayList<>();

            transport.consume(ConsumerOptions.of("orders", "Order.*"), orders::add);
            transport.consume(ConsumerOptions.of("submitted", "Order.OrderSubmitted"), submitted::add);
            transport.consume(ConsumerOptions.of("everything", "#"), everything::add);

            awaitCaughtUp("orders");
            awaitCaughtUp("submitted");
            awaitCaughtUp("everything");
            assertThat(routingKeys(orders))
                    .containsExactly("Order.OrderSubmitted", "Order.OrderShipped", "Order.OrderSubmitted");
            assertThat(routingKeys(submitted)).containsExactly("Order.OrderSubmitted", "Order.OrderSubmitted");
            assertThat(routingKeys(everything)).containsExactly("Order.OrderSubmitted", "Payment.PaymentReceived",
                    "Order.OrderShipped", "Order.OrderSubmitted");
        }

        @Test
        void a_consumer_bound_to_two_categories_gets_both_in_position_order() {
            append("Order-1", "OrderSubmitted");
            append("Shipping-1", "ParcelSent");
            append("Payment-1", "PaymentReceived");
            List<Message> received = new CopyOnWriteArrayList<>();

            transport.consume(ConsumerOptions.of("ops", "Order.*", "Payment.*"), received::add);

            awaitCaughtUp("ops");
            assertThat(routingKeys(received)).containsExactly("Order.OrderSubmitted", "Payment.PaymentReceived");
        }

        @Test
        void a_category_with_a_dot_is_bound_by_its_full_name() {
            append("Shop.Order-1", "OrderSubmitted");
            append("Shop-1", "ShopOpened");
            List<Message> shopOrders = new CopyOnWriteArrayList<>();
            List<Message> shop = new CopyOnWriteArrayList<>();
            List<Message> all = new CopyOnWriteArrayList<>();

            transport.consume(ConsumerOptions.of("shop-orders", "Shop.Order.*"), shopOrders::add);
            transport.consume(ConsumerOptions.of("shop", "Shop.*"), shop::add);
            transport.consume(ConsumerOptions.of("all-shop", "Shop.#"), all::add);

            awaitCaughtUp("shop-orders");
            awaitCaughtUp("shop");
            awaitCaughtUp("all-shop");
            assertThat(routingKeys(shopOrders)).containsExactly("Shop.Order.OrderSubmitted");
            assertThat(routingKeys(shop)).containsExactly("Shop.ShopOpened");
            assertThat(routingKeys(all)).containsExactly("Shop.Order.OrderSubmitted", "Shop.ShopOpened");
        }
    }

    @Nested
    class restart {
        @Test
        void a_consumer_started_again_under_its_name_continues_after_its_checkpoint() {
            List<Message> before = List.of(append("Order-1", "OrderSubmitted"), append("Order-2", "OrderSubmitted"));
            List<Message> firstRun = new CopyOnWriteArrayList<>();
            MessageConsumer first = transport.consume(ConsumerOptions.of("billing", "#"), firstRun::add);
            awaitCaughtUp("billing");
            first.close();
            assertThat(first.status().running()).isFalse();

            List<Message> after = List.of(append("Order-1", "OrderShipped"), append("Order-3", "OrderSubmitted"));
            List<Message> secondRun = new CopyOnWriteArrayList<>();
            transport.consume(ConsumerOptions.of("billing", "#"), secondRun::add);

            awaitCaughtUp("billing");
            assertThat(firstRun).containsExactlyElementsOf(before);
            assertThat(secondRun).containsExactlyElementsOf(after);
        }

        @Test
        void the_message_being_handled_when_the_consumer_closed_is_delivered_again() throws Exception {
            Message one = append("Order-1", "OrderSubmitted");
            Message two = append("Order-2", "OrderSubmitted");
            Message three = append("Order-3", "OrderSubmitted");
            CountDownLatch handlingTwo = new CountDownLatch(1);
            List<Message> firstRun = new CopyOnWriteArrayList<>();
            MessageConsumer first = transport.consume(ConsumerOptions.of("billing", "#"), message -> {
                firstRun.add(message);
                if (message.equals(two)) {
                    handlingTwo.countDown();
                    new CountDownLatch(1).await(); // never acknowledges: blocked until the consumer is closed
                }
            });
            assertThat(handlingTwo.await(10, TimeUnit.SECONDS)).isTrue();

            first.close();

            assertThat(checkpoint("billing")).isEqualTo(Position.of(one.position()));
            List<Message> secondRun = new CopyOnWriteArrayList<>();
            transport.consume(ConsumerOptions.of("billing", "#"), secondRun::add);
            awaitCaughtUp("billing");
            assertThat(firstRun).containsExactly(one, two);
            assertThat(secondRun).containsExactly(two, three);
            assertThat(deadLetters.list(DeadLetterQuery.all())).as("an interrupted message is not a dead letter")
                    .isEmpty();
        }

        @Test
        void a_name_runs_once_per_transport() {
            MessageConsumer first = transport.consume(ConsumerOptions.of("billing", "#"), message -> { });

            assertThatThrownBy(() -> transport.consume(ConsumerOptions.of("billing", "Order.*"), message -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("consumer 'billing' already runs on this transport");

            first.close();
            MessageConsumer again = transport.consume(ConsumerOptions.of("billing", "#"), message -> { });
            assertThat(again.status().running()).isTrue();
        }

        @Test
        void closing_the_transport_stops_every_consumer() {
            MessageConsumer billing = transport.consume(ConsumerOptions.of("billing", "#"), message -> { });
            MessageConsumer audit = transport.consume(ConsumerOptions.of("audit", "#"), message -> { });

            transport.close();

            assertThat(billing.status().running()).isFalse();
            assertThat(audit.status().running()).isFalse();
        }
    }

    @Nested
    class retries {
        private final AtomicReference<String> failure = new AtomicReference<>("stock service down");
        private final List<Message> handled = new CopyOnWriteArrayList<>();

        /** Fails every StockReserved message while {@link #failure} is set. */
        private final MessageHandler inventory = message -> {
            String error = failure.get();
            if (message.type().equals("StockReserved") && error != null) throw new IllegalStateException(error);
            handled.add(message);
        };

        private DeadLetter onlyDeadLetter() {
            List<DeadLetter> letters = deadLetters.list(DeadLetterQuery.all());
            assertThat(letters).hasSize(1);
            return letters.get(0);
        }

        @Test
        void a_failing_message_is_retried_after_1_2_4_and_8_seconds_then_parked_with_every_attempt() {
            Message submitted = append("Order-1", "OrderSubmitted");
            Message poison = append("Order-1", "StockReserved");
            Message next = append("Order-2", "OrderSubmitted");

            MessageConsumer consumer = transport.consume(ConsumerOptions.of("inventory", "#"), inventory);

            awaitCaughtUp("inventory");
            assertThat(sleeper.waits()).containsExactly(ofSeconds(1), ofSeconds(2), ofSeconds(4), ofSeconds(8));
            DeadLetter letter = onlyDeadLetter();
            assertThat(letter.consumer()).isEqualTo("inventory");
            assertThat(letter.state()).isEqualTo(DeadLetterState.PARKED);
            assertThat(letter.attempts()).extracting(Attempt::number).containsExactly(1, 2, 3, 4, 5);
            assertThat(letter.attempts()).extracting(Attempt::at).containsExactly(START, START.plusSeconds(1),
                    START.plusSeconds(3), START.plusSeconds(7), START.plusSeconds(15));
            assertThat(letter.attempts()).extracting(Attempt::error)
                    .containsOnly("IllegalStateException: stock service down");
            assertThat(letter.deadAt()).isEqualTo(START.plusSeconds(15));
            assertThat(letter.reason()).isEqualTo("IllegalStateException: stock service down");
            assertThat(letter.stackSummary()).startsWith("java.lang.IllegalStateException: stock service down\n")
                    .contains("    at ");
            assertThat(letter.messageType()).contains("StockReserved");
            assertThat(letter.messageId()).contains(poison.messageId().toString());
            assertThat(MessageHeaders.decode(letter.headers(), letter.body())).isEqualTo(poison);
            assertThat(handled).containsExactly(submitted, next);
            ConsumerStatus status = consumer.status();
            assertThat(status.handled()).isEqualTo(2);
            assertThat(status.retried()).isEqualTo(4);
            assertThat(status.deadLettered()).isEqualTo(1);
            assertThat(status.lastError()).contains("IllegalStateException: stock service down");
            assertThat(status.running()).isTrue();
        }

        @Test
        void messages_appended_after_a_parked_one_still_flow() {
            append("Order-1", "StockReserved");
            transport.consume(ConsumerOptions.of("inventory", "#"), inventory);
            awaitCaughtUp("inventory");

            Message later = append("Order-2", "OrderSubmitted");

            awaitCaughtUp("inventory");
            assertThat(handled).containsExactly(later);
        }

        @Test
        void the_waits_follow_the_consumers_policy_up_to_its_cap() {
            append("Order-1", "StockReserved");
            RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(500), 3.0, ofSeconds(5));

            transport.consume(ConsumerOptions.of("inventory", "#").withRetry(policy), inventory);

            awaitCaughtUp("inventory");
            assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1_500),
                    Duration.ofMillis(4_500), ofSeconds(5));
            assertThat(onlyDeadLetter().attempts()).hasSize(5);
        }

        @Test
        void a_message_that_succeeds_on_a_retry_is_handled_once_and_not_parked() {
            Message flaky = append("Order-1", "StockReserved");
            AtomicInteger calls = new AtomicInteger();

            MessageConsumer consumer = transport.consume(ConsumerOptions.of("inventory", "#"), message -> {
                if (calls.incrementAndGet() <= 2) throw new IllegalStateException("timeout");
                handled.add(message);
            });

            awaitCaughtUp("inventory");
            assertThat(handled).containsExactly(flaky);
            assertThat(sleeper.waits()).containsExactly(ofSeconds(1), ofSeconds(2));
            assertThat(deadLetters.list(DeadLetterQuery.all())).isEmpty();
            assertThat(consumer.status().retried()).isEqualTo(2);
            assertThat(consumer.status().handled()).isEqualTo(1);
        }

        @Test
        void a_rejected_message_is_parked_at_once_with_one_attempt() {
            Message unknown = append("Order-1", "OrderTeleported");
            Message next = append("Order-2", "OrderSubmitted");

            transport.consume(ConsumerOptions.of("inventory", "#"), message -> {
                if (message.type().equals("OrderTeleported")) {
                    throw new RejectedMessageException("unknown event type OrderTeleported");
                }
                handled.add(message);
            });

            awaitCaughtUp("inventory");
            DeadLetter letter = onlyDeadLetter();
            assertThat(sleeper.waits()).isEmpty();
            assertThat(letter.attempts()).containsExactly(
                    new Attempt(1, START, "RejectedMessageException: unknown event type OrderTeleported"));
            assertThat(letter.reason()).isEqualTo("RejectedMessageException: unknown event type OrderTeleported");
            assertThat(letter.messageId()).contains(unknown.messageId().toString());
            assertThat(handled).containsExactly(next);
        }

        @Test
        void an_error_thrown_by_a_handler_does_not_end_the_consumer() {
            Message first = append("Order-1", "OrderSubmitted");
            Message second = append("Order-2", "OrderSubmitted");
            AtomicInteger errors = new AtomicInteger();

            transport.consume(ConsumerOptions.of("inventory", "#"), message -> {
                if (message.equals(first) && errors.getAndIncrement() == 0) throw new AssertionError("broken once");
                handled.add(message);
            });

            await().atMost(ofSeconds(15)).until(() -> handled.size() == 2);
            assertThat(handled).containsExactly(first, second);
        }
    }

    @Nested
    class dead_letters {
        private final AtomicReference<String> failure = new AtomicReference<>("stock service down");
        private final List<Message> handled = new CopyOnWriteArrayList<>();
        private final DeadLetters operations = new DeadLetters(deadLetters, clock);
        private Message poison;
        private DeadLetter parked;

        @BeforeEach
        void park_one_message() {
            poison = append("Order-1", "StockReserved");
            MessageConsumer consumer = transport.consume(ConsumerOptions.of("inventory", "#"), message -> {
                String error = failure.get();
                if (error != null) throw new IllegalStateException(error);
                handled.add(message);
            });
            operations.register(consumer);
            awaitCaughtUp("inventory");
            parked = deadLetters.list(DeadLetterQuery.all()).get(0);
            clock.advance(Duration.ofHours(1));
        }

        @Test
        void a_replay_after_the_handler_is_fixed_hands_the_message_over_and_marks_the_letter_replayed() {
            failure.set(null);

            DeadLetter replayed = operations.replay(parked.id());

            assertThat(handled).containsExactly(poison);
            assertThat(replayed.state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(replayed.resolution()).contains("replayed to inventory");
            assertThat(replayed.resolvedAt()).contains(clock.instant());
            assertThat(replayed.attempts()).hasSize(5);
            assertThat(operations.inspect(parked.id())).isEqualTo(replayed);
        }

        @Test
        void a_replay_that_fails_again_leaves_the_letter_parked_with_one_more_attempt() {
            failure.set("still down");

            assertThatThrownBy(() -> operations.replay(parked.id()))
                    .isInstanceOf(DeadLetters.ReplayFailedException.class)
                    .hasMessage("replay of dead letter " + parked.id() + " failed: IllegalStateException: still down");

            DeadLetter letter = operations.inspect(parked.id());
            assertThat(letter.state()).isEqualTo(DeadLetterState.PARKED);
            assertThat(letter.attempts()).hasSize(6);
            assertThat(letter.attempts().get(5)).isEqualTo(new Attempt(6, clock.instant(), "IllegalStateException: still down"));
            assertThat(letter.reason()).isEqualTo("IllegalStateException: still down");
            assertThat(handled).isEmpty();
        }

        @Test
        void a_discard_needs_a_reason() {
            for (String reason : new String[]{null, "", "  "}) {
                assertThatThrownBy(() -> operations.discard(parked.id(), reason))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("a discard needs a reason");
            }
            assertThat(operations.inspect(parked.id()).state()).isEqualTo(DeadLetterState.PARKED);
        }

        @Test
        void a_discarded_letter_is_kept_with_its_reason_and_cannot_be_replayed() {
            DeadLetter discarded = operations.discard(parked.id(), " order 1 was cancelled by hand ");

            assertThat(discarded.state()).isEqualTo(DeadLetterState.DISCARDED);
            assertThat(discarded.resolution()).contains("order 1 was cancelled by hand");
            assertThat(discarded.resolvedAt()).contains(clock.instant());
            failure.set(null);
            assertThatThrownBy(() -> operations.replay(parked.id()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("dead letter " + parked.id() + " is already discarded");
            assertThatThrownBy(() -> operations.discard(parked.id(), "twice"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("dead letter " + parked.id() + " is already discarded");
            assertThat(handled).isEmpty();
        }

        @Test
        void a_replayed_letter_cannot_be_replayed_again() {
            failure.set(null);
            operations.replay(parked.id());

            assertThatThrownBy(() -> operations.replay(parked.id()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("dead letter " + parked.id() + " is already replayed");
            assertThat(handled).containsExactly(poison);
        }

        @Test
        void a_replay_for_a_consumer_that_is_not_registered_here_is_refused_naming_it() {
            DeadLetters elsewhere = new DeadLetters(deadLetters, clock);

            assertThatThrownBy(() -> elsewhere.replay(parked.id()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("consumer 'inventory' of dead letter " + parked.id()
                            + " does not run in this process; replay it where it runs");
            assertThat(elsewhere.inspect(parked.id())).isEqualTo(parked);
        }

        @Test
        void an_unknown_letter_is_reported_by_id() {
            UUID unknown = UUID.randomUUID();

            assertThatThrownBy(() -> operations.replay(unknown))
                    .isInstanceOf(DeadLetterNotFoundException.class)
                    .hasMessage("no dead letter " + unknown);
            assertThatThrownBy(() -> operations.discard(unknown, "gone"))
                    .isInstanceOf(DeadLetterNotFoundException.class);
        }

        @Test
        void letters_are_listed_newest_first_and_filtered() {
            Optional<DeadLetter> byConsumer = operations.list(DeadLetterQuery.all().consumer("inventory")).stream()
                    .findFirst();
            assertThat(byConsumer).contains(parked);
            assertThat(operations.list(DeadLetterQuery.all().consumer("billing"))).isEmpty();
            assertThat(operations.list(DeadLetterQuery.all().type("StockReserved"))).containsExactly(parked);
            assertThat(operations.list(DeadLetterQuery.all().type("OrderSubmitted"))).isEmpty();
            assertThat(operations.list(DeadLetterQuery.all().state(DeadLetterState.REPLAYED))).isEmpty();

            Message second = append("Order-2", "StockReserved");
            awaitCaughtUp("inventory");

            List<DeadLetter> newestFirst = operations.list(DeadLetterQuery.all());
            assertThat(newestFirst).extracting(l -> l.messageId().orElseThrow())
                    .containsExactly(second.messageId().toString(), poison.messageId().toString());
            assertThat(operations.list(DeadLetterQuery.all().deadBefore(parked.deadAt().plusSeconds(1))))
                    .containsExactly(parked);
        }
    }

    @Nested
    class Side_by_side {
        @Test
        void several_streams_are_handled_at_once_each_in_order_and_the_checkpoint_moves_after_the_batch() throws Exception {
            for (int n = 0; n < 5; n++) {
                for (int stream = 0; stream < 20; stream++) append("Trip-" + stream, "Step" + n);
            }
            CountDownLatch together = new CountDownLatch(4); // four streams' first messages must be in the handler at once
            var byStream = new java.util.concurrent.ConcurrentHashMap<String, List<String>>();
            ConsumerOptions options = ConsumerOptions.of("trips", "Trip.*").withConcurrency(8);
            try (MessageConsumer consumer = transport.consume(options, message -> {
                if (message.type().equals("Step0") && message.stream().compareTo("Trip-4") < 0
                        && message.stream().length() == 6) {
                    together.countDown();
                    assertThat(together.await(10, TimeUnit.SECONDS)).as("4 streams handled side by side").isTrue();
                }
                byStream.computeIfAbsent(message.stream(), k -> new CopyOnWriteArrayList<>()).add(message.type());
            })) {
                awaitCaughtUp("trips");
                assertThat(byStream).hasSize(20);
                byStream.values().forEach(types -> assertThat(types).containsExactly("Step0", "Step1", "Step2", "Step3", "Step4"));
                assertThat(consumer.status().handled()).isEqualTo(100);
                assertThat(together.getCount()).isZero();
            }
        }

        @Test
        void a_poison_message_is_a_dead_letter_and_the_other_streams_flow() {
            for (int stream = 0; stream < 10; stream++) append("Trip-" + stream, stream == 3 ? "Teleported" : "Booked");
            List<String> handled = new CopyOnWriteArrayList<>();
            ConsumerOptions options = ConsumerOptions.of("trips", "Trip.*").withConcurrency(4);
            try (MessageConsumer consumer = transport.consume(options, message -> {
                if (message.type().equals("Teleported")) throw new RejectedMessageException("unknown event type Teleported");
                handled.add(message.stream());
            })) {
                awaitCaughtUp("trips");
                assertThat(handled).hasSize(9).doesNotContain("Trip-3");
                assertThat(deadLetters.list(DeadLetterQuery.all())).singleElement()
                        .satisfies(letter -> assertThat(letter.reason()).contains("Teleported"));
            }
        }

        @Test
        void concurrency_out_of_range_is_refused_naming_it() {
            assertThatThrownBy(() -> ConsumerOptions.of("trips", "Trip.*").withConcurrency(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("concurrency must be 1-256, was 0");
            assertThatThrownBy(() -> ConsumerOptions.of("trips", "Trip.*").withConcurrency(257))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("concurrency must be 1-256, was 257");
        }
    }
}
