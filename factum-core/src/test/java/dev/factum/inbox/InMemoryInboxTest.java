// SPDX-License-Identifier: Apache-2.0
package dev.factum.inbox;

import dev.factum.FactumException;
import dev.factum.event.NewEvent;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.ManualClock;
import dev.factum.retry.RecordingSleeper;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InMemoryInboxTest {
    private final ManualClock clock = new ManualClock();
    private final InMemoryInbox inbox = new InMemoryInbox(clock);
    private final List<String> effects = new CopyOnWriteArrayList<>();

    private static Message message(long position) {
        return new Message(UUID.randomUUID(), "OrderSubmitted", "Order-" + position, position, "c", "c",
                Optional.empty(), Optional.empty(), Message.JSON, "{}", Map.of(), Instant.EPOCH);
    }

    @Nested
    class handle_once {
        @Test
        void runs_the_work_the_first_time_and_skips_a_redelivery() {
            Message message = message(1);

            boolean first = inbox.handleOnce("shipping", message, tx -> effects.add("shipped " + message.stream()));
            boolean again = inbox.handleOnce("shipping", message, tx -> effects.add("shipped " + message.stream()));

            assertThat(first).isTrue();
            assertThat(again).isFalse();
            assertThat(effects).containsExactly("shipped Order-1");
            assertThat(inbox.contains("shipping", message.messageId())).isTrue();
        }

        @Test
        void keeps_each_consumers_record_apart() {
            Message message = message(1);
            inbox.handleOnce("shipping", message, tx -> effects.add("shipping"));

            boolean handledByBilling = inbox.handleOnce("billing", message, tx -> effects.add("billing"));

            assertThat(handledByBilling).isTrue();
            assertThat(effects).containsExactly("shipping", "billing");
            assertThat(inbox.contains("audit", message.messageId())).isFalse();
        }

        @Test
        void records_nothing_when_the_work_fails_so_the_redelivery_runs_it_again() {
            Message message = message(1);

            assertThatThrownBy(() -> inbox.handleOnce("shipping", message, tx -> {
                throw new IllegalStateException("carrier down");
            })).isInstanceOf(IllegalStateException.class).hasMessage("carrier down");

            assertThat(inbox.contains("shipping", message.messageId())).isFalse();
            assertThat(inbox.handleOnce("shipping", message, tx -> effects.add("shipped"))).isTrue();
            assertThat(effects).containsExactly("shipped");
        }

        @Test
        void wraps_a_checked_failure_naming_the_consumer() {
            assertThatThrownBy(() -> inbox.handleOnce("shipping", message(1), tx -> {
                throw new IOException("disk full");
            })).isInstanceOf(FactumException.class)
                    .hasMessage("inbox work of consumer 'shipping' failed: disk full")
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    @Nested
    class pruning {
        @Test
        void by_age_removes_entries_recorded_before_the_instant() {
            Message old = message(1);
            inbox.handleOnce("shipping", old, tx -> { });
            clock.advance(Duration.ofDays(8));
            Message recent = message(2);
            inbox.handleOnce("shipping", recent, tx -> { });

            int pruned = inbox.pruneHandledBefore(clock.instant().minus(Duration.ofDays(7)));

            assertThat(pruned).isEqualTo(1);
            assertThat(inbox.contains("shipping", old.messageId())).isFalse();
            assertThat(inbox.contains("shipping", recent.messageId())).isTrue();
        }

        @Test
        void a_message_redelivered_after_its_entry_was_pruned_runs_again() {
            Message message = message(1);
            inbox.handleOnce("shipping", message, tx -> effects.add("shipped"));
            clock.advance(Duration.ofDays(8));
            inbox.pruneHandledBefore(clock.instant());

            assertThat(inbox.handleOnce("shipping", message, tx -> effects.add("shipped"))).isTrue();
            assertThat(effects).containsExactly("shipped", "shipped");
        }

        @Test
        void by_position_removes_only_that_consumers_entries_up_to_the_watermark() {
            Message one = message(1);
            Message two = message(2);
            Message three = message(3);
            for (Message m : List.of(one, two, three)) inbox.handleOnce("shipping", m, tx -> { });
            inbox.handleOnce("billing", one, tx -> { });

            int pruned = inbox.prunePositionsUpTo("shipping", 2);

            assertThat(pruned).isEqualTo(2);
            assertThat(inbox.contains("shipping", one.messageId())).isFalse();
            assertThat(inbox.contains("shipping", two.messageId())).isFalse();
            assertThat(inbox.contains("shipping", three.messageId())).isTrue();
            assertThat(inbox.contains("billing", one.messageId())).isTrue();
        }
    }

    @Nested
    class with_a_consumer {
        @Test
        void a_message_delivered_again_after_its_acknowledgement_was_lost_has_one_effect() {
            ManualClock transportClock = new ManualClock();
            RecordingSleeper sleeper = new RecordingSleeper(transportClock);
            InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
            try (InMemoryEventStore store = new InMemoryEventStore(StoreLimits.DEFAULT, transportClock);
                 InProcessTransport transport = new InProcessTransport(store, checkpoints,
                         new InMemoryDeadLetterStore(), transportClock, sleeper, Duration.ofMillis(50))) {
                for (int i = 1; i <= 3; i++) {
                    store.append(StreamId.of("Order", "o" + i), ExpectedVersion.any(),
                            List.of(NewEvent.of("OrderPaid", "{}")));
                }
                Message second = Message.of(store.readAll(ReadAllOptions.fromStart()).get(1));
                AtomicBoolean ackLost = new AtomicBoolean(true);

                MessageConsumer consumer = transport.consume(ConsumerOptions.of("shipping", "Order.*"), message -> {
                    inbox.handleOnce("shipping", message, tx -> effects.add("ship " + message.stream()));
                    if (message.equals(second) && ackLost.getAndSet(false)) {
                        throw new IllegalStateException("connection lost before the acknowledgement");
                    }
                });

                await().atMost(ofSeconds(10)).until(() ->
                        checkpoints.load("transport:shipping").orElse(Position.BEGINNING).equals(store.headPosition()));
                assertThat(effects).containsExactly("ship Order-o1", "ship Order-o2", "ship Order-o3");
                assertThat(consumer.status().retried()).as("the second message was delivered twice").isEqualTo(1);
                assertThat(sleeper.waits()).containsExactly(ofSeconds(1));
            }
        }
    }
}
