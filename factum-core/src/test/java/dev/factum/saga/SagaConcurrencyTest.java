// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.ManualClock;
import dev.factum.retry.RetryPolicy;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreStatistics;
import dev.factum.store.StreamId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many sagas at once: transitions of different sagas appended concurrently, each saga's strictly one after another. */
class SagaConcurrencyTest {
    record Trip(String id, List<String> booked) {
        Trip with(String step) {
            List<String> more = new ArrayList<>(booked);
            more.add(step);
            return new Trip(id, more);
        }
    }

    private static final Duration IDLE = Duration.ofSeconds(20);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final List<SagaEngine<Trip>> engines = new ArrayList<>();
    /** Runs per idempotency key. */
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        engines.forEach(SagaEngine::close);
        store.close();
    }

    private SagaEngine<Trip> engine(EventStore on, SagaDefinition<Trip> definition, Clock clock) {
        SagaEngine<Trip> engine = SagaEngine.builder(on, definition).deadLetters(deadLetters).clock(clock).build();
        engines.add(engine);
        return engine;
    }

    private SagaAction<Trip> book(String step) {
        return (trip, context) -> {
            runs.computeIfAbsent(context.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
            return SagaReply.done(trip.with(step));
        };
    }

    private SagaDefinition<Trip> threeSteps() {
        return SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke(book("flight")).compensate((trip, context) -> {})
                .step("hotel").invoke(book("hotel")).compensate((trip, context) -> {})
                .step("car").invoke(book("car"))
                .build();
    }

    private static List<String> kinds(List<SagaEvent> timeline) {
        return timeline.stream().map(e -> switch (e) {
            case SagaEvent.StepStarted s -> "StepStarted " + s.step() + "#" + s.attempt();
            case SagaEvent.StepSucceeded s -> "StepSucceeded " + s.step() + "#" + s.attempt();
            case SagaEvent.StepFailed s -> "StepFailed " + s.step() + "#" + s.attempt();
            case SagaEvent.CompensationStarted s -> "CompensationStarted " + s.step() + "#" + s.attempt();
            case SagaEvent.CompensationSucceeded s -> "CompensationSucceeded " + s.step() + "#" + s.attempt();
            default -> e.getClass().getSimpleName();
        }).toList();
    }

    @Test
    void manySagasInTheBackgroundEachRunTheirStepsOnceAndInOrder() {
        SagaEngine<Trip> engine = engine(store, threeSteps(), Clock.systemUTC()).runInBackground();
        List<java.util.concurrent.Future<String>> started = new ArrayList<>();
        try (var starters = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) { // closing waits for them
            for (int i = 0; i < 200; i++) {
                String id = "t" + i;
                started.add(starters.submit(() -> engine.start(id, new Trip(id, List.of()))));
            }
        }
        List<String> ids = started.stream().map(java.util.concurrent.Future::resultNow).toList();

        await().atMost(IDLE).until(() -> ids.stream().allMatch(id -> engine.find(id).orElseThrow().status() == SagaStatus.COMPLETED));
        for (String id : ids) {
            assertThat(kinds(engine.timeline(id))).as(id).containsExactly("SagaStarted",
                    "StepStarted flight#1", "StepSucceeded flight#1", "StepStarted hotel#1", "StepSucceeded hotel#1",
                    "StepStarted car#1", "StepSucceeded car#1", "SagaCompleted");
            assertThat(engine.find(id).orElseThrow().data().booked()).containsExactly("flight", "hotel", "car");
        }
        assertThat(runs).hasSize(600);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).as("each step once").hasValue(1));
    }

    @Test
    void inTheBackgroundEveryAttemptIsRecordedAsStartedBeforeItsActionRuns() {
        List<String> notOpen = new CopyOnWriteArrayList<>();
        AtomicInteger checked = new AtomicInteger();
        AtomicReference<SagaEngine<Trip>> holder = new AtomicReference<>();
        SagaAction<Trip> checking = (trip, context) -> {
            checked.incrementAndGet();
            var open = holder.get().find(context.sagaId()).orElseThrow().open();
            if (open.isEmpty() || !open.get().step().equals(context.step()) || open.get().attempt() != context.attempt()
                    || open.get().compensation()) {
                notOpen.add(context.idempotencyKey() + "#" + context.attempt() + " saw " + open);
            }
            if (context.step().equals("car")) return SagaReply.refused("NO_CAR");
            return SagaReply.done(trip.with(context.step()));
        };
        SagaCompensation<Trip> undoChecking = (trip, context) -> {
            checked.incrementAndGet();
            var open = holder.get().find(context.sagaId()).orElseThrow().open();
            if (open.isEmpty() || !open.get().step().equals(context.step()) || !open.get().compensation()) {
                notOpen.add(context.idempotencyKey() + "#" + context.attempt() + " saw " + open);
            }
        };
        SagaDefinition<Trip> definition = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke(checking).compensate(undoChecking)
                .step("hotel").invoke(checking).compensate(undoChecking)
                .step("car").invoke(checking)
                .build();
        SagaEngine<Trip> engine = engine(store, definition, Clock.systemUTC()).runInBackground();
        holder.set(engine);
        for (int i = 0; i < 20; i++) engine.start("t" + i, new Trip("t" + i, List.of()));

        await().atMost(IDLE).until(() -> checked.get() == 20 * 5
                && java.util.stream.IntStream.range(0, 20).allMatch(i -> engine.find("t" + i).orElseThrow().status() == SagaStatus.COMPENSATED));
        assertThat(notOpen).as("attempts whose start was not in the store when they ran").isEmpty();
        assertThat(kinds(engine.timeline("t0"))).containsExactly("SagaStarted",
                "StepStarted flight#1", "StepSucceeded flight#1", "StepStarted hotel#1", "StepSucceeded hotel#1",
                "StepStarted car#1", "StepRefused", "Compensating",
                "CompensationStarted hotel#1", "CompensationSucceeded hotel#1",
                "CompensationStarted flight#1", "CompensationSucceeded flight#1", "SagaCompensated");
    }

    @Test
    void aPassAppendsTheTransitionsOfDifferentSagasConcurrently() throws Exception {
        // every append to a saga stream waits at a barrier for the append of another saga: a pass that appended one
        // saga's transition after the other's would break the barrier (time out) instead of passing it
        CyclicBarrier pair = new CyclicBarrier(2);
        AtomicInteger broken = new AtomicInteger();
        EventStore gated = new Gated(store, stream -> {
            try {
                pair.await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                broken.incrementAndGet();
                pair.reset();
            }
        });
        ManualClock clock = new ManualClock();
        SagaDefinition<Trip> definition = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke((trip, context) -> {
                    Thread.sleep(Long.MAX_VALUE); // answers nothing while the test looks
                    return SagaReply.done(trip);
                })
                .build();
        SagaEngine<Trip> starter = engine(store, definition, clock);
        starter.start("a", new Trip("a", List.of()));
        starter.start("b", new Trip("b", List.of()));
        SagaEngine<Trip> engine = engine(gated, definition, clock);

        assertThat(engine.runDue()).as("both sagas started their first step in this pass").isEqualTo(2);
        assertThat(broken).as("appends that waited in vain for the other saga's").hasValue(0);
        assertThat(kinds(engine.timeline("a"))).containsExactly("SagaStarted", "StepStarted flight#1");
        assertThat(kinds(engine.timeline("b"))).containsExactly("SagaStarted", "StepStarted flight#1");
    }

    @Test
    void twoEnginesInTheBackgroundOnOneStoreNeverBothRunAStep() {
        SagaEngine<Trip> one = engine(store, threeSteps(), Clock.systemUTC()).runInBackground();
        SagaEngine<Trip> two = engine(store, threeSteps(), Clock.systemUTC()).runInBackground();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) ids.add((i % 2 == 0 ? one : two).start("t" + i, new Trip("t" + i, List.of())));

        await().atMost(IDLE).until(() -> ids.stream().allMatch(id -> one.find(id).orElseThrow().status() == SagaStatus.COMPLETED));
        assertThat(runs).hasSize(180);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).as("each step once").hasValue(1));
        for (String id : ids) {
            assertThat(one.timeline(id)).hasSize(8); // no transition recorded twice
        }
    }

    @Test
    void anEngineClosedWhileAChainedAttemptRunsLeavesItOpenAndANewEngineRunsItAgainWithTheSameKey() throws Exception {
        CountDownLatch hotelRunning = new CountDownLatch(1);
        AtomicInteger hotelCalls = new AtomicInteger();
        List<String> hotelKeys = new CopyOnWriteArrayList<>();
        SagaAction<Trip> hotel = (trip, context) -> {
            hotelKeys.add(context.idempotencyKey());
            if (hotelCalls.incrementAndGet() == 1) {
                hotelRunning.countDown();
                Thread.sleep(Long.MAX_VALUE); // the process stops here
            }
            return SagaReply.done(trip.with("hotel"));
        };
        SagaDefinition<Trip> definition = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke(book("flight"))
                .step("hotel").invoke(hotel).timeout(Duration.ofSeconds(30))
                .retry(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .build();
        ManualClock clock = new ManualClock();
        SagaEngine<Trip> first = engine(store, definition, clock).runInBackground();
        first.start("t1", new Trip("t1", List.of()));
        assertThat(hotelRunning.await(10, TimeUnit.SECONDS)).isTrue();
        first.close();

        SagaEngine<Trip> second = engine(store, definition, clock);
        assertThat(second.awaitIdle(IDLE)).isTrue();
        assertThat(second.find("t1").orElseThrow().open()).as("the hotel attempt, started with the flight's answer")
                .hasValueSatisfying(open -> assertThat(open.step()).isEqualTo("hotel"));
        clock.advance(Duration.ofSeconds(30));
        assertThat(second.awaitIdle(IDLE)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(second.awaitIdle(IDLE)).isTrue();

        assertThat(second.find("t1").orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(runs.get("t1:flight")).hasValue(1);
        assertThat(hotelKeys).containsExactly("t1:hotel", "t1:hotel");
        assertThat(kinds(second.timeline("t1"))).containsExactly("SagaStarted", "StepStarted flight#1",
                "StepSucceeded flight#1", "StepStarted hotel#1", "StepTimedOut", "StepStarted hotel#2",
                "StepSucceeded hotel#2", "SagaCompleted");
    }

    @Test
    void aReplyIsJudgedOnTheStreamNotOnWhatAnEngineLastWrote() throws Exception {
        SagaDefinition<Trip> remote = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke((trip, context) -> SagaReply.awaiting()).timeout(Duration.ofSeconds(10))
                .retry(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .build();
        ManualClock clock = new ManualClock();
        SagaEngine<Trip> one = engine(store, remote, clock);
        SagaEngine<Trip> two = engine(store, remote, clock);
        one.start("t1", new Trip("t1", List.of()));
        assertThat(one.awaitIdle(IDLE)).isTrue(); // one wrote attempt 1 and remembers it as open
        clock.advance(Duration.ofSeconds(10));
        assertThat(two.awaitIdle(IDLE)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(two.awaitIdle(IDLE)).isTrue(); // two timed attempt 1 out and started attempt 2

        assertThat(one.deliver("t1", "flight", 1, SagaReply.done(new Trip("t1", List.of("late")))))
                .as("attempt 1 is closed in the stream, though open in what engine one wrote").isFalse();
        assertThat(one.deliver("t1", "flight", 2, SagaReply.done(new Trip("t1", List.of("flight")))))
                .as("attempt 2 is open in the stream, though engine one never saw it start").isTrue();
        assertThat(one.awaitIdle(IDLE)).isTrue();

        assertThat(one.find("t1").orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(one.find("t1").orElseThrow().data().booked()).containsExactly("flight");
        assertThat(kinds(one.timeline("t1"))).containsExactly("SagaStarted", "StepStarted flight#1", "StepAwaiting",
                "StepTimedOut", "StepStarted flight#2", "StepAwaiting", "StepSucceeded flight#2", "SagaCompleted");
    }

    /** A store whose appends to saga streams pass {@code gate} first. */
    private record Gated(EventStore delegate, java.util.function.Consumer<StreamId> gate) implements EventStore {
        @Override
        public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
            gate.accept(stream);
            return delegate.append(stream, expected, events);
        }

        @Override
        public List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options) {
            return delegate.readStream(stream, options);
        }

        @Override
        public List<RecordedEvent> readAll(ReadAllOptions options) {
            return delegate.readAll(options);
        }

        @Override
        public long streamVersion(StreamId stream) {
            return delegate.streamVersion(stream);
        }

        @Override
        public Position headPosition() {
            return delegate.headPosition();
        }

        @Override
        public StoreStatistics statistics() {
            return delegate.statistics();
        }

        @Override
        public AutoCloseable onCommit(Runnable callback) {
            return delegate.onCommit(callback);
        }

        @Override
        public void close() {
            // the test closes the delegate
        }
    }
}
