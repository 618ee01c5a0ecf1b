// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.ManualClock;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaEvent.*;
import dev.factum.store.InMemoryEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SagaEngineTest {
    /** The saga data: the steps done so far. */
    record Trip(String name, List<String> booked) {
        Trip with(String step) {
            List<String> more = new ArrayList<>(booked);
            more.add(step);
            return new Trip(name, more);
        }
    }

    private static final Duration IDLE = Duration.ofSeconds(10);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final ManualClock clock = new ManualClock();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<SagaEngine<Trip>> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(SagaEngine::close);
        store.close();
    }

    private SagaEngine<Trip> engine(SagaDefinition<Trip> definition) {
        SagaEngine<Trip> engine = SagaEngine.builder(store, definition).deadLetters(deadLetters).clock(clock).build();
        engines.add(engine);
        return engine;
    }

    private SagaAction<Trip> book(String step) {
        return (trip, context) -> {
            calls.add(step);
            return SagaReply.done(trip.with(step));
        };
    }

    private SagaCompensation<Trip> cancel(String step) {
        return (trip, context) -> calls.add("cancel " + step);
    }

    private SagaAction<Trip> failing(String step) {
        return (trip, context) -> {
            calls.add(step);
            throw new IllegalStateException(step + " is down");
        };
    }

    private SagaDefinition<Trip> trip(SagaAction<Trip> flight, SagaAction<Trip> hotel, SagaAction<Trip> car) {
        return SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke(flight).compensate(cancel("flight")).retry(RetryPolicy.noRetry())
                .step("hotel").invoke(hotel).compensate(cancel("hotel")).retry(RetryPolicy.noRetry())
                .step("car").invoke(car).compensate(cancel("car")).retry(RetryPolicy.noRetry())
                .step("confirm").invoke(book("confirm")).retry(RetryPolicy.noRetry())
                .compensationRetry(RetryPolicy.noRetry())
                .build();
    }

    private static List<String> types(List<SagaEvent> timeline) {
        return timeline.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void happyPathRunsEveryStepInOrderAndKeepsTheTimeline() throws Exception {
        SagaEngine<Trip> engine = engine(trip(book("flight"), book("hotel"), book("car")));
        String id = engine.start(new Trip("rome", List.of()));

        assertThat(engine.awaitIdle(IDLE)).isTrue();

        SagaState<Trip> state = engine.find(id).orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(state.data().booked()).containsExactly("flight", "hotel", "car", "confirm");
        assertThat(calls).containsExactly("flight", "hotel", "car", "confirm");
        assertThat(types(engine.timeline(id))).containsExactly("SagaStarted",
                "StepStarted", "StepSucceeded", "StepStarted", "StepSucceeded", "StepStarted", "StepSucceeded",
                "StepStarted", "StepSucceeded", "SagaCompleted");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void aStepThatFailsForGoodIsUndoneItselfThenTheCompletedOnesInReverse(int failingStep) throws Exception {
        List<String> steps = List.of("flight", "hotel", "car");
        SagaAction<Trip>[] actions = steps.stream()
                .map(s -> steps.indexOf(s) == failingStep ? failing(s) : book(s)).toArray(SagaAction[]::new);
        SagaEngine<Trip> engine = engine(trip(actions[0], actions[1], actions[2]));
        String id = engine.start(new Trip("rome", List.of()));

        assertThat(engine.awaitIdle(IDLE)).isTrue();

        List<String> expected = new ArrayList<>(steps.subList(0, failingStep + 1));
        // its attempts threw, so whether they had an effect is unknown: its own compensation runs first
        for (int done = failingStep; done >= 0; done--) expected.add("cancel " + steps.get(done));
        assertThat(calls).containsExactlyElementsOf(expected);
        SagaState<Trip> state = engine.find(id).orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(state.failure()).hasValueSatisfying(f -> assertThat(f).contains(steps.get(failingStep) + " is down"));
    }

    @Test
    void aBusinessNoIsNotRetriedAndCompensates() throws Exception {
        AtomicInteger hotelCalls = new AtomicInteger();
        SagaDefinition<Trip> definition = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke(book("flight")).compensate(cancel("flight"))
                .step("hotel").invoke((trip, context) -> {
                    hotelCalls.incrementAndGet();
                    return SagaReply.refused("NO_ROOMS");
                }).compensate(cancel("hotel")).retry(RetryPolicy.exponential(5, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .build();
        SagaEngine<Trip> engine = engine(definition);
        String id = engine.start(new Trip("rome", List.of()));

        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(hotelCalls).hasValue(1);
        assertThat(calls).containsExactly("flight", "cancel flight");
        SagaState<Trip> state = engine.find(id).orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(state.failure()).hasValue("NO_ROOMS");
        assertThat(engine.timeline(id)).anySatisfy(e -> assertThat(e).isInstanceOf(StepRefused.class));
    }

    @Test
    void aFailingStepIsRetriedWithExponentialBackoffOnTheEnginesClock() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        SagaDefinition<Trip> definition = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke((trip, context) -> {
                    calls.add("flight attempt " + context.attempt() + " key " + context.idempotencyKey());
                    if (attempts.incrementAndGet() < 3) throw new IllegalStateException("busy");
                    return SagaReply.done(trip.with("flight"));
                }).retry(RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(10)))
                .build();
        SagaEngine<Trip> engine = engine(definition);
        String id = engine.start("t1", new Trip("rome", List.of()));

        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(attempts).hasValue(1);
        assertThat(engine.find(id).orElseThrow().retryAt()).hasValue(ManualClock.START.plusSeconds(1));

        clock.advance(Duration.ofMillis(999));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(attempts).as("not due before its backoff").hasValue(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(attempts).hasValue(2);
        assertThat(engine.find(id).orElseThrow().retryAt()).hasValue(ManualClock.START.plusSeconds(1 + 2));

        clock.advance(Duration.ofSeconds(2));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(attempts).hasValue(3);
        assertThat(engine.find(id).orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(calls).containsExactly("flight attempt 1 key t1:flight", "flight attempt 2 key t1:flight",
                "flight attempt 3 key t1:flight");
    }

    @Test
    void anAttemptThatDoesNotAnswerByItsDeadlineTimesOutAndItsLateAnswerIsIgnored() throws Exception {
        var release = new java.util.concurrent.CountDownLatch(1);
        var answered = new java.util.concurrent.CountDownLatch(1);
        SagaDefinition<Trip> definition = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke(book("flight")).compensate(cancel("flight"))
                .step("hotel").invoke((trip, context) -> {
                    calls.add("hotel");
                    try {
                        release.await();
                    } finally {
                        answered.countDown();
                    }
                    return SagaReply.done(trip.with("hotel"));
                }).timeout(Duration.ofSeconds(5)).retry(RetryPolicy.noRetry())
                .build();
        SagaEngine<Trip> engine = engine(definition);
        String id = engine.start(new Trip("rome", List.of()));
        await().atMost(IDLE).untilAsserted(() -> {
            engine.runDue();
            assertThat(calls).contains("hotel");
        });

        clock.advance(Duration.ofSeconds(4));
        engine.runDue();
        assertThat(engine.find(id).orElseThrow().open()).isPresent();

        clock.advance(Duration.ofSeconds(1));
        engine.runDue();
        release.countDown();
        answered.await();
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(engine.find(id).orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(types(engine.timeline(id))).containsSubsequence("StepStarted", "StepTimedOut", "Compensating",
                "CompensationStarted", "CompensationSucceeded", "SagaCompensated").doesNotContain("SagaCompleted");
        assertThat(engine.timeline(id).stream().filter(e -> e instanceof StepSucceeded s && s.step().equals("hotel")))
                .as("the late answer is not recorded").isEmpty();
        assertThat(calls).containsExactly("flight", "hotel", "cancel flight");
    }

    @Test
    void aCompensationThatKeepsFailingParksTheSagaWithADeadLetterUntilAnOperatorRetries() throws Exception {
        AtomicInteger hotelCancels = new AtomicInteger();
        var hotelServiceUp = new java.util.concurrent.atomic.AtomicBoolean(false);
        SagaDefinition<Trip> definition = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke(book("flight")).compensate(cancel("flight"))
                .step("hotel").invoke(book("hotel")).compensate((trip, context) -> {
                    hotelCancels.incrementAndGet();
                    if (!hotelServiceUp.get()) throw new IllegalStateException("hotel service down");
                    calls.add("cancel hotel");
                })
                .step("car").invoke(failing("car")).retry(RetryPolicy.noRetry())
                .compensationRetry(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .build();
        SagaEngine<Trip> engine = engine(definition);
        String id = engine.start(new Trip("rome", List.of()));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        SagaState<Trip> parked = engine.find(id).orElseThrow();
        assertThat(parked.status()).isEqualTo(SagaStatus.NEEDS_ATTENTION);
        assertThat(hotelCancels).hasValue(2);
        assertThat(calls).as("the flight is not cancelled past the stuck hotel").doesNotContain("cancel flight");
        DeadLetter letter = deadLetters.find(parked.deadLetter().orElseThrow()).orElseThrow();
        assertThat(letter.consumer()).isEqualTo("saga:Trip");
        assertThat(letter.state()).isEqualTo(DeadLetterState.PARKED);
        assertThat(letter.reason()).contains("hotel", "hotel service down");
        assertThat(letter.attempts()).hasSize(2);
        assertThat(letter.headers()).containsEntry("sagaId", id).containsEntry("step", "hotel");
        clock.advance(Duration.ofHours(1));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(hotelCancels).as("a parked saga waits for an operator").hasValue(2);

        hotelServiceUp.set(true);
        engine.retry(id, "hotel service is back");
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(engine.find(id).orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(calls).containsExactly("flight", "hotel", "car", "cancel hotel", "cancel flight");
        assertThat(deadLetters.find(letter.id()).orElseThrow().state()).isEqualTo(DeadLetterState.REPLAYED);
        assertThatThrownBy(() -> engine.retry(id, "again"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("COMPENSATED");
    }

    @Test
    void anOperatorCanResolveAParkedSaga() throws Exception {
        SagaDefinition<Trip> definition = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke(book("flight")).compensate((trip, context) -> {
                    throw new IllegalStateException("airline unreachable");
                })
                .step("hotel").invoke(failing("hotel")).retry(RetryPolicy.noRetry())
                .compensationRetry(RetryPolicy.noRetry())
                .build();
        SagaEngine<Trip> engine = engine(definition);
        String id = engine.start(new Trip("rome", List.of()));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        SagaState<Trip> parked = engine.find(id).orElseThrow();
        assertThat(parked.status()).isEqualTo(SagaStatus.NEEDS_ATTENTION);

        engine.resolve(id, "refunded by phone");

        assertThat(engine.find(id).orElseThrow().status()).isEqualTo(SagaStatus.RESOLVED);
        DeadLetter letter = deadLetters.find(parked.deadLetter().orElseThrow()).orElseThrow();
        assertThat(letter.state()).isEqualTo(DeadLetterState.DISCARDED);
        assertThat(letter.resolution()).hasValueSatisfying(n -> assertThat(n).contains("refunded by phone"));
        assertThatThrownBy(() -> engine.resolve("nobody", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Trip-nobody");
    }

    @Test
    void startingASagaTwiceIsRefused() {
        SagaEngine<Trip> engine = engine(trip(book("flight"), book("hotel"), book("car")));
        engine.start("t1", new Trip("rome", List.of()));
        assertThatThrownBy(() -> engine.start("t1", new Trip("rome", List.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Trip-t1 was started already");
    }

    @Test
    void aBrokenSagaStreamDoesNotStopTheOthers() throws Exception {
        store.append(dev.factum.store.StreamId.of("Trip", "broken"), dev.factum.store.ExpectedVersion.any(),
                List.of(dev.factum.event.NewEvent.of("NotASagaEvent", "{}")));
        SagaEngine<Trip> engine = engine(trip(book("flight"), book("hotel"), book("car")));
        String id = engine.start(new Trip("rome", List.of()));

        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(engine.find(id).orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
        assertThatThrownBy(() -> engine.find("broken")).hasMessageContaining("NotASagaEvent").hasMessageContaining("is not a saga event");
    }

    @Test
    void aCompensationThatHangsTimesOutAndParksTheSaga() throws Exception {
        SagaDefinition<Trip> definition = SagaDefinition.builder("Trip", Trip.class)
                .step("flight").invoke(book("flight")).compensate((trip, context) -> {
                    calls.add("cancel flight attempt " + context.attempt() + " key " + context.idempotencyKey());
                    Thread.sleep(Long.MAX_VALUE);
                }).timeout(Duration.ofSeconds(5))
                .step("hotel").invoke(failing("hotel")).retry(RetryPolicy.noRetry())
                .compensationRetry(RetryPolicy.noRetry())
                .build();
        SagaEngine<Trip> engine = engine(definition);
        String id = engine.start("t1", new Trip("rome", List.of()));
        await().atMost(IDLE).untilAsserted(() -> {
            engine.runDue();
            assertThat(calls).contains("cancel flight attempt 1 key t1:flight:compensate");
        });

        clock.advance(Duration.ofSeconds(5));
        engine.runDue();

        SagaState<Trip> state = engine.find(id).orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.NEEDS_ATTENTION);
        assertThat(deadLetters.find(state.deadLetter().orElseThrow()).orElseThrow().reason())
                .contains("compensation of step 'flight' failed: timed out after PT5S");
    }
}
