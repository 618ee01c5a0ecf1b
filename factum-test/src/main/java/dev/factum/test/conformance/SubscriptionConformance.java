// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.event.RecordedEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.EventBatch;
import dev.factum.subscription.Subscription;
import dev.factum.subscription.SubscriptionHandler;
import dev.factum.subscription.SubscriptionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.factum.test.conformance.TestEvents.events;
import static dev.factum.test.conformance.TestEvents.freshStream;
import static dev.factum.test.conformance.TestEvents.ids;
import static dev.factum.test.conformance.TestEvents.positions;
import static dev.factum.test.conformance.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions over the store and its checkpoint store: catch-up then live, restart from the checkpoint, category
 * filter, batch order, a failing handler, stop and close, lag, and the live wake-up signal (invariant 2: every
 * committed event exactly once per checkpoint, in position order). Subclass it once per store, overriding
 * {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class SubscriptionConformance extends StoreSuite {
    private static final String EXACTLY_ONCE = "invariant 2: every committed event exactly once, in position order";
    /** A ceiling for waiting, never a speed requirement. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    protected CheckpointStore checkpoints;
    private final List<Subscription> started = new ArrayList<>();

    @BeforeEach
    protected final void openCheckpoints() {
        checkpoints = fixture.checkpointStore();
    }

    /** Runs before the fixture closes (JUnit runs a subclass's {@code @AfterEach} first). */
    @AfterEach
    protected final void stopSubscriptions() {
        started.forEach(Subscription::close);
    }

    /** Collects what a handler was given, batch by batch. */
    protected static final class Recorder implements SubscriptionHandler {
        final List<List<RecordedEvent>> batches = new CopyOnWriteArrayList<>();

        @Override
        public void handle(EventBatch batch) {
            batches.add(batch.events());
        }

        List<RecordedEvent> events() {
            return batches.stream().flatMap(List::stream).toList();
        }

        int count() {
            return batches.stream().mapToInt(List::size).sum();
        }
    }

    private Subscription.Builder subscription(String name, SubscriptionHandler handler) {
        return Subscription.builder(name, store, checkpoints).handler(handler).pollInterval(Duration.ofMillis(100));
    }

    private Subscription start(Subscription.Builder builder) {
        Subscription subscription = builder.build();
        started.add(subscription);
        subscription.start();
        return subscription;
    }

    private static String name() {
        return "conformance-" + UUID.randomUUID();
    }

    private void awaitCount(Recorder recorder, int count) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(recorder.count()).isGreaterThanOrEqualTo(count));
    }

    private void awaitLiveAtHead(Subscription subscription) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            SubscriptionStatus status = subscription.status();
            assertThat(status.state()).isEqualTo(SubscriptionStatus.State.LIVE);
            assertThat(status.checkpoint()).isEqualTo(store.headPosition());
        });
    }

    @Nested
    class Catching_up_and_following {

        @Test
        void catches_up_from_the_beginning_then_delivers_events_appended_later() {
            StreamId stream = freshStream("Account");
            store.append(stream, ExpectedVersion.noStream(), events(3));
            Recorder recorder = new Recorder();

            Subscription subscription = start(subscription(name(), recorder));
            awaitCount(recorder, 3);
            store.append(stream, ExpectedVersion.exactly(3), events(2));
            store.append(freshStream("Account"), ExpectedVersion.any(), events(1));
            awaitCount(recorder, 6);

            awaitLiveAtHead(subscription);
            assertThat(ids(recorder.events())).as(EXACTLY_ONCE).containsExactlyElementsOf(ids(readAll(store)));
        }

        @Test
        void starts_from_a_stored_checkpoint() {
            store.append(freshStream("Account"), ExpectedVersion.any(), events(5));
            String name = name();
            List<RecordedEvent> all = readAll(store);
            checkpoints.save(new dev.factum.subscription.Checkpoint(name, all.get(2).position()));
            Recorder recorder = new Recorder();

            Subscription subscription = start(subscription(name, recorder));
            awaitLiveAtHead(subscription);

            assertThat(ids(recorder.events())).as(EXACTLY_ONCE).containsExactlyElementsOf(ids(all.subList(3, 5)));
        }

        @Test
        void an_empty_store_gives_a_live_subscription_that_delivers_the_first_event() {
            Recorder recorder = new Recorder();
            Subscription subscription = start(subscription(name(), recorder));
            await().atMost(PATIENCE).until(() -> subscription.status().state() == SubscriptionStatus.State.LIVE);

            store.append(freshStream("Account"), ExpectedVersion.any(), events(1));

            awaitCount(recorder, 1);
            assertThat(recorder.events()).singleElement().satisfies(e -> assertThat(e.position()).isEqualTo(store.headPosition()));
        }
    }

    @Nested
    class Restarting {

        @Test
        void resumes_after_the_stored_checkpoint_without_redelivery() {
            StreamId stream = freshStream("Account");
            store.append(stream, ExpectedVersion.noStream(), events(3));
            String name = name();
            Recorder first = new Recorder();
            Subscription before = start(subscription(name, first));
            awaitLiveAtHead(before);
            before.stop();
            store.append(stream, ExpectedVersion.exactly(3), events(2));
            Recorder second = new Recorder();

            Subscription after = start(subscription(name, second));
            awaitLiveAtHead(after);

            assertThat(first.count()).isEqualTo(3);
            assertThat(ids(second.events())).as(EXACTLY_ONCE).containsExactlyElementsOf(ids(readAll(store).subList(3, 5)));
            assertThat(checkpoints.load(name)).contains(store.headPosition());
        }

        @Test
        void the_same_subscription_can_be_stopped_and_started_again() {
            store.append(freshStream("Account"), ExpectedVersion.any(), events(2));
            Recorder recorder = new Recorder();
            Subscription subscription = start(subscription(name(), recorder));
            awaitLiveAtHead(subscription);

            subscription.stop();
            store.append(freshStream("Account"), ExpectedVersion.any(), events(2));
            subscription.start();

            awaitCount(recorder, 4);
            awaitLiveAtHead(subscription);
            assertThat(ids(recorder.events())).as(EXACTLY_ONCE).containsExactlyElementsOf(ids(readAll(store)));
        }
    }

    @Nested
    class Filtering_by_category {

        @Test
        void delivers_only_events_of_that_category_in_position_order() {
            store.append(freshStream("Account"), ExpectedVersion.any(), events(2));
            store.append(freshStream("AccountLine"), ExpectedVersion.any(), events(2));
            store.append(freshStream("Account"), ExpectedVersion.any(), events(1));
            Recorder recorder = new Recorder();

            Subscription subscription = start(subscription(name(), recorder).category("Account"));
            awaitCount(recorder, 3);
            store.append(freshStream("Basket"), ExpectedVersion.any(), events(1));
            store.append(freshStream("Account"), ExpectedVersion.any(), events(1));
            awaitCount(recorder, 4);

            assertThat(recorder.events()).as(EXACTLY_ONCE).hasSize(4)
                    .allSatisfy(e -> assertThat(e.stream().category()).isEqualTo("Account"));
            assertThat(positions(recorder.events())).isSorted().doesNotHaveDuplicates();
            assertThat(subscription.status().state()).isNotEqualTo(SubscriptionStatus.State.FAILED);
        }
    }

    @Nested
    class Batches {

        @Test
        void come_in_position_order_within_and_across_batches_and_respect_the_batch_size() {
            for (int i = 0; i < 4; i++) store.append(freshStream("Account"), ExpectedVersion.any(), events(2));
            List<Position> batchEnds = new CopyOnWriteArrayList<>();
            Recorder recorder = new Recorder();

            start(subscription(name(), batch -> {
                batchEnds.add(batch.lastPosition());
                recorder.handle(batch);
            }).batchSize(3));
            awaitCount(recorder, 8);

            assertThat(recorder.batches).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 3));
            assertThat(positions(recorder.events())).as(EXACTLY_ONCE).isSorted().doesNotHaveDuplicates();
            assertThat(ids(recorder.events())).as(EXACTLY_ONCE).containsExactlyElementsOf(ids(readAll(store)));
            assertThat(batchEnds).isSorted().doesNotHaveDuplicates()
                    .containsExactlyElementsOf(recorder.batches.stream().map(b -> b.get(b.size() - 1).position()).toList());
        }
    }

    @Nested
    class A_failing_handler {

        @Test
        void fails_only_its_own_subscription_keeps_its_checkpoint_and_is_redelivered_after_restart() {
            store.append(freshStream("Account"), ExpectedVersion.any(), events(6));
            List<RecordedEvent> all = readAll(store);
            Position poison = all.get(3).position();
            AtomicBoolean failing = new AtomicBoolean(true);
            Recorder handled = new Recorder();
            String name = name();
            Subscription failingOne = start(subscription(name, batch -> {
                boolean hasPoison = batch.events().stream().anyMatch(e -> e.position().equals(poison));
                if (failing.get() && hasPoison) throw new IllegalStateException("cannot handle event at " + poison);
                handled.handle(batch);
            }).batchSize(2));
            Recorder bystander = new Recorder();
            Subscription other = start(subscription(name(), bystander));

            await().atMost(PATIENCE).until(() -> failingOne.status().state() == SubscriptionStatus.State.FAILED);
            SubscriptionStatus failed = failingOne.status();
            assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("cannot handle event at " + poison));
            assertThat(failed.checkpoint()).as("the checkpoint stays before the failed batch").isEqualTo(all.get(1).position());
            assertThat(checkpoints.load(name)).contains(all.get(1).position());
            awaitLiveAtHead(other);
            assertThat(bystander.count()).as("other subscriptions are unaffected").isEqualTo(6);
            store.append(freshStream("Account"), ExpectedVersion.any(), events(1));
            awaitCount(bystander, 7);

            failing.set(false);
            failingOne.start();
            awaitLiveAtHead(failingOne);

            assertThat(ids(handled.events())).as(EXACTLY_ONCE + ": the failed batch is delivered again, nothing twice")
                    .containsExactlyElementsOf(ids(readAll(store)));
            assertThat(failingOne.status().error()).isEmpty();
        }

        @Test
        void a_new_subscription_object_with_the_same_name_resumes_before_the_failed_batch() {
            store.append(freshStream("Account"), ExpectedVersion.any(), events(3));
            List<RecordedEvent> all = readAll(store);
            String name = name();
            Subscription broken = start(subscription(name, batch -> {
                throw new IllegalStateException("always fails");
            }));
            await().atMost(PATIENCE).until(() -> broken.status().state() == SubscriptionStatus.State.FAILED);
            broken.close();
            Recorder recorder = new Recorder();

            Subscription fixed = start(subscription(name, recorder));
            awaitLiveAtHead(fixed);

            assertThat(ids(recorder.events())).as(EXACTLY_ONCE).containsExactlyElementsOf(ids(all));
        }
    }

    @Nested
    class Stopping_and_closing {

        private boolean threadAlive(String name) {
            return Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.isAlive() && t.getName().equals("factum-subscription-" + name));
        }

        @Test
        void stop_ends_the_thread_and_reports_stopped() {
            String name = name();
            Subscription subscription = start(subscription(name, new Recorder()));
            await().atMost(PATIENCE).until(() -> subscription.status().state() == SubscriptionStatus.State.LIVE);

            subscription.stop();

            assertThat(subscription.status().state()).isEqualTo(SubscriptionStatus.State.STOPPED);
            await().atMost(PATIENCE).until(() -> !threadAlive(name));
        }

        @Test
        void close_ends_the_thread_and_later_events_are_not_delivered() {
            String name = name();
            Recorder recorder = new Recorder();
            Subscription subscription = start(subscription(name, recorder));
            store.append(freshStream("Account"), ExpectedVersion.any(), events(1));
            awaitCount(recorder, 1);

            subscription.close();
            store.append(freshStream("Account"), ExpectedVersion.any(), events(1));

            await().atMost(PATIENCE).until(() -> !threadAlive(name));
            assertThat(recorder.count()).isEqualTo(1);
            assertThat(checkpoints.load(name)).contains(readAll(store).get(0).position());
        }

        @Test
        void stop_waits_for_the_batch_in_hand_and_commits_its_checkpoint() throws InterruptedException {
            store.append(freshStream("Account"), ExpectedVersion.any(), events(2));
            CountDownLatch inHandler = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            String name = name();
            Subscription subscription = start(subscription(name, batch -> {
                inHandler.countDown();
                release.await(1, TimeUnit.MINUTES);
            }));
            assertThat(inHandler.await(1, TimeUnit.MINUTES)).isTrue();

            Thread stopper = Thread.ofPlatform().start(subscription::stop);
            // release the handler only once stop() is waiting for the thread, so stop really waits for the batch
            await().atMost(PATIENCE).until(() -> stopper.getState() == Thread.State.TIMED_WAITING);
            release.countDown();
            stopper.join(Duration.ofMinutes(1));

            assertThat(checkpoints.load(name)).contains(store.headPosition());
            assertThat(threadAlive(name)).isFalse();
        }
    }

    @Nested
    class Status {

        @Test
        void reports_lag_in_events_until_the_handler_has_caught_up() throws InterruptedException {
            store.append(freshStream("Account"), ExpectedVersion.any(), events(5));
            CountDownLatch inHandler = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Subscription subscription = start(subscription(name(), batch -> {
                inHandler.countDown();
                release.await(1, TimeUnit.MINUTES);
            }));
            assertThat(inHandler.await(1, TimeUnit.MINUTES)).isTrue();

            SubscriptionStatus busy = subscription.status();
            release.countDown();

            assertThat(busy.lagEvents()).isEqualTo(5);
            assertThat(busy.checkpoint()).isEqualTo(Position.BEGINNING);
            assertThat(busy.state()).isEqualTo(SubscriptionStatus.State.CATCHING_UP);
            awaitLiveAtHead(subscription);
            assertThat(subscription.status().lagEvents()).isZero();
            assertThat(subscription.status().lag()).isEqualTo(Duration.ZERO);
        }

        @Test
        void names_the_subscription_and_starts_stopped() {
            String name = name();
            Subscription subscription = subscription(name, new Recorder()).build();

            assertThat(subscription.status().name()).isEqualTo(name);
            assertThat(subscription.status().state()).isEqualTo(SubscriptionStatus.State.STOPPED);
            assertThat(subscription.status().error()).isEmpty();
        }
    }

    @Nested
    class Live_wake_up {

        @Test
        void delivers_through_the_commit_signal_long_before_the_next_poll() {
            Recorder recorder = new Recorder();
            Subscription subscription = start(Subscription.builder(name(), store, checkpoints)
                    .handler(recorder).pollInterval(Duration.ofSeconds(30)));
            await().atMost(PATIENCE).until(() -> subscription.status().state() == SubscriptionStatus.State.LIVE);

            for (int round = 1; round <= 3; round++) {
                store.append(freshStream("Account"), ExpectedVersion.any(), events(1));
                // the poll interval is 30 s: delivery within 10 s can only come from the store's onCommit signal
                int expected = round;
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recorder.count()).isEqualTo(expected));
            }
        }

        @Test
        void an_on_commit_callback_runs_after_an_append() throws Exception {
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

            try (AutoCloseable registration = store.onCommit(calls::incrementAndGet)) {
                store.append(freshStream("Account"), ExpectedVersion.any(), events(1));

                await().atMost(PATIENCE).until(() -> calls.get() >= 1);
            }
        }

        @Test
        void a_failing_on_commit_callback_neither_fails_the_append_nor_silences_the_others() throws Exception {
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            StreamId stream = freshStream("Account");

            try (AutoCloseable failing = store.onCommit(() -> {
                throw new IllegalStateException("callback fails on purpose");
            }); AutoCloseable counting = store.onCommit(calls::incrementAndGet)) {
                store.append(stream, ExpectedVersion.noStream(), events(1));
                store.append(stream, ExpectedVersion.exactly(1), events(1));

                await().atMost(PATIENCE).until(() -> calls.get() >= 1);
            }
            assertThat(store.streamVersion(stream)).isEqualTo(2);
        }
    }
}
