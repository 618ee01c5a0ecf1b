// SPDX-License-Identifier: Apache-2.0
package dev.factum.relay;

import dev.factum.event.NewEvent;
import dev.factum.inbox.InMemoryInbox;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetters;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.store.AppendResult;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHeaders;
import dev.factum.transport.Transport;
import org.junit.jupiter.api.AfterEach;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RelayTest {
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final RecordingTransport broker = new RecordingTransport();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        broker.release();
        for (AutoCloseable c : toClose) c.close();
        store.close();
    }

    private Relay.Builder relay(CheckpointStore checkpointStore, Transport transport) {
        return Relay.builder("orders", store, checkpointStore, transport).deadLetters(deadLetters)
                .retryDelay(Duration.ofMillis(20)).pollInterval(Duration.ofMillis(50));
    }

    private Relay.Builder relay() {
        return relay(checkpoints, broker);
    }

    private Relay start(Relay.Builder builder) {
        Relay relay = builder.build();
        toClose.add(relay);
        return relay.start();
    }

    /** Appends one event and returns its message as the relay should publish it. */
    private Message append(String stream, String type) {
        AppendResult result = store.append(StreamId.parse(stream), ExpectedVersion.any(),
                List.of(NewEvent.of(type, "{\"stream\":\"" + stream + "\"}")));
        return Message.of(store.readAll(ReadAllOptions.after(Position.of(result.lastPosition().value() - 1)).limit(1))
                .get(0));
    }

    private List<Message> appendOrders(int count) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) messages.add(append("Order-" + (i % 3), "OrderSubmitted"));
        return messages;
    }

    private Optional<Position> checkpoint() {
        return checkpoints.load("relay:orders");
    }

    private void awaitCheckpointAtHead() {
        await().atMost(ofSeconds(10)).until(() -> checkpoint().equals(Optional.of(store.headPosition())));
    }

    @Nested
    class forwarding {
        @Test
        void publishes_only_the_matching_events_in_position_order() {
            Message submitted = append("Order-1", "OrderSubmitted");
            append("Payment-1", "PaymentReceived");
            Message other = append("Order-2", "OrderSubmitted");
            Message shipped = append("Order-1", "OrderShipped");
            append("Shipping-1", "ParcelSent");

            Relay relay = start(relay().bindings("Order.*"));

            awaitCheckpointAtHead();
            assertThat(broker.confirmedMessages()).containsExactly(submitted, other, shipped);
            RelayStatus status = relay.status();
            assertThat(status.published()).isEqualTo(3);
            assertThat(status.checkpoint()).isEqualTo(store.headPosition().value());
            assertThat(status.lag()).isZero();
            assertThat(status.running()).isTrue();
            assertThat(status.leaseHolder()).isTrue();
            assertThat(status.transport()).isEqualTo("recording");
        }

        @Test
        void without_bindings_publishes_every_event() {
            Message order = append("Order-1", "OrderSubmitted");
            Message payment = append("Payment-1", "PaymentReceived");

            start(relay());

            awaitCheckpointAtHead();
            assertThat(broker.confirmedMessages()).containsExactly(order, payment);
        }

        @Test
        void saves_its_checkpoint_only_after_the_broker_confirmed() {
            broker.hold();
            List<Message> orders = appendOrders(3);

            start(relay());

            await().atMost(ofSeconds(10)).until(() -> broker.attempts() == 1);
            assertThat(checkpoint()).as("the broker has not confirmed yet").isEmpty();
            broker.release();
            awaitCheckpointAtHead();
            assertThat(broker.confirmedMessages()).containsExactlyElementsOf(orders);
        }

        @Test
        void publishes_in_batches_of_at_most_the_batch_size_and_follows_new_appends() {
            List<Message> orders = new ArrayList<>(appendOrders(5));
            start(relay().batchSize(2));
            awaitCheckpointAtHead();

            orders.add(append("Order-9", "OrderShipped"));

            awaitCheckpointAtHead();
            assertThat(broker.confirmedBatches()).extracting(List::size).containsExactly(2, 2, 1, 1);
            assertThat(broker.confirmedMessages()).containsExactlyElementsOf(orders);
        }

        @Test
        void refuses_a_malformed_name_or_batch_size() {
            assertThatThrownBy(() -> Relay.builder("orders to kafka", store, checkpoints, broker))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("relay name 'orders to kafka' must be");
            assertThatThrownBy(() -> relay().batchSize(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("batch size must be 1-10000, was 0");
            assertThatThrownBy(() -> relay().bindings("Order..x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binding 'Order..x'");
        }
    }

    @Nested
    class broker_failures {
        @Test
        void a_retryable_failure_keeps_the_checkpoint_and_the_relay_sends_again_until_confirmed() {
            broker.down(true);
            List<Message> orders = appendOrders(3);
            Relay relay = start(relay());

            await().atMost(ofSeconds(10)).until(() -> broker.attempts() >= 3);
            assertThat(checkpoint()).isEmpty();
            assertThat(broker.confirmedMessages()).isEmpty();
            assertThat(relay.status().lastError()).hasValueSatisfying(e -> assertThat(e).contains("broker unreachable"));
            assertThat(relay.status().published()).isZero();

            broker.down(false);

            awaitCheckpointAtHead();
            assertThat(broker.confirmedMessages()).containsExactlyElementsOf(orders);
            assertThat(relay.status().lastError()).isEmpty();
        }

        @Test
        void failures_while_events_keep_arriving_leave_no_gap_in_the_order() {
            Relay relay = start(relay().batchSize(3));
            List<Message> expected = new ArrayList<>();

            for (int i = 0; i < 20; i++) {
                if (i % 4 == 0) broker.failNext(2);
                expected.add(append("Order-" + (i % 5), "OrderSubmitted"));
            }

            awaitCheckpointAtHead();
            assertThat(broker.confirmedMessages().stream().distinct().toList()).containsExactlyElementsOf(expected);
            assertThat(broker.attempts()).isGreaterThan(broker.confirmedBatches().size());
            assertThat(relay.status().published()).isEqualTo(broker.confirmedMessages().size());
        }

        @Test
        void a_refused_message_becomes_a_dead_letter_of_the_relay_and_the_others_go_on() {
            Message one = append("Order-1", "OrderSubmitted");
            Message tooLarge = append("Order-2", "OrderSubmitted");
            Message three = append("Order-3", "OrderSubmitted");
            Message four = append("Order-1", "OrderShipped");
            broker.refuse(tooLarge.messageId());

            Relay relay = start(relay());

            awaitCheckpointAtHead();
            assertThat(broker.confirmedMessages()).containsExactly(one, three, four);
            List<DeadLetter> letters = deadLetters.list(DeadLetterQuery.all());
            assertThat(letters).hasSize(1);
            DeadLetter letter = letters.get(0);
            assertThat(letter.consumer()).isEqualTo("relay:orders").isEqualTo(relay.consumerName());
            assertThat(letter.state()).isEqualTo(DeadLetterState.PARKED);
            assertThat(letter.attempts()).hasSize(1);
            assertThat(letter.reason()).isEqualTo("PublishException: message " + tooLarge.messageId()
                    + " is larger than the broker accepts");
            assertThat(MessageHeaders.decode(letter.headers(), letter.body())).isEqualTo(tooLarge);
            assertThat(relay.status().deadLettered()).isEqualTo(1);
            assertThat(relay.status().published()).isEqualTo(3);
        }

        @Test
        void a_refused_message_replayed_once_the_broker_accepts_it_is_published_again() {
            append("Order-1", "OrderSubmitted");
            Message tooLarge = append("Order-2", "OrderSubmitted");
            broker.refuse(tooLarge.messageId());
            Relay relay = start(relay());
            awaitCheckpointAtHead();
            DeadLetters operations = new DeadLetters(deadLetters);
            relay.registerReplay(operations);
            UUID letter = deadLetters.list(DeadLetterQuery.all()).get(0).id();

            broker.accept(tooLarge.messageId());
            DeadLetter replayed = operations.replay(letter);

            assertThat(replayed.state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(broker.confirmedBatches().get(broker.confirmedBatches().size() - 1)).containsExactly(tooLarge);
        }
    }

    @Nested
    class crash_between_confirm_and_checkpoint {
        @Test
        void the_batch_is_sent_again_and_a_consumer_with_an_inbox_has_each_effect_once() {
            InMemoryInbox inbox = new InMemoryInbox();
            List<UUID> effects = new CopyOnWriteArrayList<>();
            broker.consume(ConsumerOptions.of("shipping", "Order.*"),
                    message -> inbox.handleOnce("shipping", message, tx -> effects.add(message.messageId())));
            List<Message> orders = appendOrders(3);
            CheckpointStore dyingOnce = new FailsOnceOnSave(checkpoints, "relay:orders");

            start(relay(dyingOnce, broker));

            awaitCheckpointAtHead();
            assertThat(broker.confirmedBatches()).as("confirmed, then sent again after the lost checkpoint write")
                    .containsExactly(orders, orders);
            assertThat(effects).containsExactlyElementsOf(orders.stream().map(Message::messageId).toList());
        }

        @Test
        void a_relay_started_again_under_its_name_continues_after_its_checkpoint() {
            List<Message> before = appendOrders(2);
            Relay first = start(relay());
            awaitCheckpointAtHead();
            first.close();
            List<Message> after = appendOrders(2);

            start(relay());

            awaitCheckpointAtHead();
            List<Message> all = new ArrayList<>(before);
            all.addAll(after);
            assertThat(broker.confirmedMessages()).containsExactlyElementsOf(all);
        }
    }

    @Nested
    class lease {
        @Test
        void of_two_relays_with_one_name_one_sends_and_the_other_takes_over_from_the_checkpoint_when_it_closes() {
            InMemoryLeaseStore leases = new InMemoryLeaseStore();
            RecordingTransport otherBroker = new RecordingTransport();
            Relay holder = start(relay().lease(leases, ofSeconds(30)));
            List<Message> first = appendOrders(2);
            awaitCheckpointAtHead();
            int sent = broker.attempts(); // one or two batches, depending on when the relay read
            broker.hold();
            List<Message> second = appendOrders(2);
            await().atMost(ofSeconds(10)).until(() -> broker.attempts() == sent + 1);

            Relay standby = start(relay(checkpoints, otherBroker).lease(leases, ofSeconds(30)));

            await().atMost(ofSeconds(10)).until(() -> standby.status().lastError()
                    .filter(e -> e.contains("runs in another process")).isPresent());
            assertThat(standby.status().leaseHolder()).isFalse();
            assertThat(holder.status().leaseHolder()).isTrue();
            assertThat(otherBroker.attempts()).as("the standby never sends while the lease is held").isZero();

            holder.close(); // its second batch was never confirmed
            List<Message> third = appendOrders(1);

            awaitCheckpointAtHead();
            assertThat(holder.status().leaseHolder()).isFalse();
            assertThat(standby.status().leaseHolder()).isTrue();
            assertThat(broker.confirmedMessages()).containsExactlyElementsOf(first);
            List<Message> rest = new ArrayList<>(second);
            rest.addAll(third);
            assertThat(otherBroker.confirmedMessages()).containsExactlyElementsOf(rest);
        }
    }

    /** A checkpoint store whose first save of one checkpoint fails, as if the process died just before it. */
    private static final class FailsOnceOnSave implements CheckpointStore {
        private final CheckpointStore delegate;
        private final String name;
        private final AtomicBoolean failed = new AtomicBoolean();

        FailsOnceOnSave(CheckpointStore delegate, String name) {
            this.delegate = delegate;
            this.name = name;
        }

        @Override
        public Optional<Position> load(String subscription) {
            return delegate.load(subscription);
        }

        @Override
        public void commit(Checkpoint checkpoint, TransactionalWork work) {
            if (checkpoint.subscription().equals(name) && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("the process died before the checkpoint write");
            }
            delegate.commit(checkpoint, work);
        }

        @Override
        public void delete(String subscription) {
            delegate.delete(subscription);
        }
    }
}
