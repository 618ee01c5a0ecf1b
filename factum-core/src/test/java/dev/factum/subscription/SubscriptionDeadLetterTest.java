// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetters;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.ManualClock;
import dev.factum.retry.RecordingSleeper;
import dev.factum.retry.RetryPolicy;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A subscription with dead letters on: a poison event is retried, parked, and the others go on; replay after a fix. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SubscriptionDeadLetterTest {
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final ManualClock clock = new ManualClock();
    private final List<Runnable> onSleep = new CopyOnWriteArrayList<>();
    private final RecordingSleeper recording = new RecordingSleeper(clock);
    private final dev.factum.retry.Sleeper sleeper = duration -> {
        recording.sleep(duration);
        onSleep.forEach(Runnable::run);
    };
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final Set<String> poison = ConcurrentHashMap.newKeySet();
    private Subscription subscription;

    @AfterEach
    void close() {
        if (subscription != null) subscription.close();
    }

    private void append(String... types) {
        for (String type : types) {
            store.append(StreamId.parse("Account-1"), ExpectedVersion.any(),
                    List.of(new NewEvent(type, "{}", Metadata.create())));
        }
    }

    private Subscription start(boolean withDeadLetters) {
        Subscription.Builder builder = Subscription.builder("ledger", store, checkpoints).clock(clock).sleeper(sleeper)
                .batchSize(10).pollInterval(Duration.ofMillis(20))
                .handler(batch -> { // all of a batch or nothing, as a handler writing in the checkpoint's transaction
                    List<String> booked = new java.util.ArrayList<>();
                    for (var e : batch.events()) {
                        if (poison.contains(e.type())) throw new IllegalStateException("cannot book " + e.type());
                        booked.add(e.type());
                    }
                    handled.addAll(booked);
                });
        if (withDeadLetters) builder.deadLetters(deadLetters, RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofMinutes(1)));
        subscription = builder.build();
        subscription.start();
        return subscription;
    }

    @Test
    void a_poison_event_is_retried_by_the_policy_then_parked_and_the_others_go_on() {
        poison.add("Poison");
        append("A", "B", "Poison", "C", "D");

        start(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> checkpoints.load("ledger").equals(java.util.Optional.of(Position.of(5))));
        assertThat(handled).containsExactly("A", "B", "C", "D");
        assertThat(recording.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        List<DeadLetter> parked = deadLetters.list(DeadLetterQuery.all());
        assertThat(parked).hasSize(1);
        DeadLetter letter = parked.getFirst();
        assertThat(letter.consumer()).isEqualTo("ledger");
        assertThat(letter.messageType()).contains("Poison");
        assertThat(letter.attempts()).hasSize(3);
        assertThat(letter.reason()).isEqualTo("IllegalStateException: cannot book Poison");
        assertThat(subscription.status().state()).isNotEqualTo(SubscriptionStatus.State.FAILED);
    }

    @Test
    void a_failure_that_passes_on_retry_parks_nothing() {
        append("A", "Flaky", "B");
        poison.add("Flaky");
        onSleep.add(() -> poison.remove("Flaky")); // the cause goes away while the subscription waits

        start(true);

        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 3);
        assertThat(handled).containsExactly("A", "Flaky", "B");
        assertThat(deadLetters.list(DeadLetterQuery.all())).isEmpty();
    }

    @Test
    void without_dead_letters_a_poison_event_stops_the_subscription_before_its_batch() {
        poison.add("Poison");
        append("A", "Poison", "B");

        start(false);

        await().atMost(Duration.ofSeconds(10)).until(() -> subscription.status().state() == SubscriptionStatus.State.FAILED);
        assertThat(handled).isEmpty();
        assertThat(checkpoints.load("ledger")).isEmpty();
        assertThat(deadLetters.list(DeadLetterQuery.all())).isEmpty();
    }

    @Test
    void a_parked_event_replayed_after_the_fix_is_handled_and_the_checkpoint_stays() {
        poison.add("Poison");
        append("A", "Poison", "B");
        start(true);
        DeadLetters operations = new DeadLetters(deadLetters, clock);
        subscription.registerReplay(operations);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list(DeadLetterQuery.all()).size() == 1
                && checkpoints.load("ledger").equals(java.util.Optional.of(Position.of(3))));

        poison.clear(); // the fix
        DeadLetter replayed = operations.replay(deadLetters.list(DeadLetterQuery.all()).getFirst().id());

        assertThat(replayed.state()).isEqualTo(DeadLetterState.REPLAYED);
        assertThat(handled).containsExactly("A", "B", "Poison");
        assertThat(checkpoints.load("ledger")).contains(Position.of(3));
    }
}
