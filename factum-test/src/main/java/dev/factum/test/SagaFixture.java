// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.saga.SagaAction;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaEvent;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaState;
import dev.factum.saga.SagaStatus;
import dev.factum.store.InMemoryEventStore;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Given-when-then for a {@link SagaDefinition}, over the real {@link SagaEngine} on an in-memory store with a
 * {@link VirtualClock}: start a saga, let virtual time pass (retries and timeouts fire when their due time is
 * reached), then assert what ran — the step attempts, the compensations, the status, the dead letters.
 *
 * <pre>{@code
 * try (var saga = SagaFixture.of(tripSaga)) {
 *     saga.when("t1", new Trip("t1", "room-1", 2))
 *         .then(SagaStatus.RUNNING)
 *         .whenTimePasses(Duration.ofSeconds(10))      // the payment step times out
 *         .thenStepsStarted("reserve", "charge")
 *         .thenCompensated("reserve")
 *         .then(SagaStatus.COMPENSATED);
 * }
 * }</pre>
 *
 * <p>Remote participants: a step whose action answers {@link SagaReply#awaiting()} waits; {@link #thenAwaiting}
 * checks it, {@link #whenReplied} delivers the participant's reply, {@link #whenTimePasses} lets it time out.
 *
 * <p>Each {@code when…} drives the engine until the saga settles: it ended, or it waits for a retry's due time, or
 * for the deadline of an attempt made with {@link #hangs()}; those wait for virtual time. One saga per fixture.
 *
 * @since 0.1
 */
public final class SagaFixture<D> implements AutoCloseable {
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final VirtualClock clock = new VirtualClock();
    private final SagaEngine<D> engine;
    private String sagaId;

    private SagaFixture(SagaDefinition<D> definition) {
        this.engine = SagaEngine.builder(store, definition).deadLetters(deadLetters).clock(clock).build();
    }

    public static <D> SagaFixture<D> of(SagaDefinition<D> definition) {
        return new SagaFixture<>(definition);
    }

    /** Starts the saga and runs it until it waits for time or has ended. */
    public SagaFixture<D> when(String id, D data) {
        if (sagaId != null) throw new IllegalStateException("this fixture started saga " + sagaId + " already; use one fixture per saga");
        sagaId = engine.start(id, data);
        return drive();
    }

    /** Moves virtual time forward, then runs the engine until idle. */
    public SagaFixture<D> whenTimePasses(Duration duration) {
        clock.advance(duration);
        return drive();
    }

    /**
     * A remote participant's reply ({@link SagaReply#done} or {@link SagaReply#refused}) to the open attempt of
     * {@code step}, delivered as {@link SagaEngine#replyHandler()} would; then runs until idle.
     *
     * @throws AssertionError if {@code step} has no open attempt or the engine did not record the reply
     */
    public SagaFixture<D> whenReplied(String step, SagaReply<D> reply) {
        SagaState.OpenAttempt open = state().open().filter(o -> !o.compensation() && o.step().equals(step))
                .orElseThrow(() -> new AssertionError("saga " + sagaId + " has no open attempt of step '" + step
                        + "' to reply to; it is " + state().status() + " with " + state().open()));
        assertThat(engine.deliver(sagaId, step, open.attempt(), reply))
                .as("reply to saga %s step '%s' attempt %d recorded", sagaId, step, open.attempt()).isTrue();
        return drive();
    }

    /**
     * A reply to attempt {@code attempt} of {@code step} that may come too late or twice; asserts whether the engine
     * recorded it ({@code recorded}), then runs until idle.
     */
    public SagaFixture<D> whenRepliedTo(String step, int attempt, SagaReply<D> reply, boolean recorded) {
        assertThat(engine.deliver(started(), step, attempt, reply))
                .as("reply to saga %s step '%s' attempt %d recorded", sagaId, step, attempt).isEqualTo(recorded);
        return drive();
    }

    /** Attempt {@code attempt} of {@code step} waits for a remote participant's reply. */
    public SagaFixture<D> thenAwaiting(String step, int attempt) {
        assertThat(state().open()).as("open attempt of saga %s", sagaId)
                .hasValueSatisfying(open -> assertThat(List.of(open.step(), open.attempt())).isEqualTo(List.of(step, attempt)));
        assertThat(timeline()).as("StepAwaiting(%s, %d) in the timeline of saga %s", step, attempt, sagaId)
                .anyMatch(e -> e instanceof SagaEvent.StepAwaiting a && a.step().equals(step) && a.attempt() == attempt);
        return this;
    }

    /** Operator retry of the parked saga, then runs until idle. */
    public SagaFixture<D> whenOperatorRetries(String note) {
        engine.retry(started(), note);
        return drive();
    }

    /** The saga is in {@code status}. */
    public SagaFixture<D> then(SagaStatus status) {
        assertThat(state().status()).as("status of saga %s", sagaId).isEqualTo(status);
        return this;
    }

    /** Asserts on the saga's state (its data, failure, …). */
    public SagaFixture<D> thenState(Consumer<SagaState<D>> assertion) {
        assertion.accept(state());
        return this;
    }

    /** The step attempts started, in order, one name per attempt (a retried step appears once per attempt). */
    public SagaFixture<D> thenStepsStarted(String... steps) {
        assertThat(timeline().stream().filter(e -> e instanceof SagaEvent.StepStarted)
                .map(e -> ((SagaEvent.StepStarted) e).step())).as("step attempts of saga %s", sagaId).containsExactly(steps);
        return this;
    }

    /** The steps whose compensation succeeded, in the order they were compensated. */
    public SagaFixture<D> thenCompensated(String... steps) {
        assertThat(timeline().stream().filter(e -> e instanceof SagaEvent.CompensationSucceeded)
                .map(e -> ((SagaEvent.CompensationSucceeded) e).step())).as("compensations of saga %s", sagaId).containsExactly(steps);
        return this;
    }

    /** The saga's timeline, as event type names. */
    public SagaFixture<D> thenTimeline(String... types) {
        assertThat(timeline().stream().map(e -> e.getClass().getSimpleName())).as("timeline of saga %s", sagaId).containsExactly(types);
        return this;
    }

    /** The dead letters parked for this saga's definition, newest first. */
    public SagaFixture<D> thenDeadLetters(Consumer<List<DeadLetter>> assertion) {
        assertion.accept(deadLetters.list(DeadLetterQuery.all()));
        return this;
    }

    public List<SagaEvent> timeline() {
        return engine.timeline(started());
    }

    public SagaState<D> state() {
        return engine.find(started()).orElseThrow();
    }

    public VirtualClock clock() {
        return clock;
    }

    @Override
    public void close() {
        engine.close();
        if (sagaId != null) HANGING.removeIf(key -> key.startsWith(sagaId + ":")); // a later fixture may reuse the id
        store.close();
    }

    /**
     * An action that never answers (until the fixture closes), for timeouts: the engine counts it as timed out when
     * virtual time passes its deadline.
     */
    public static <D> SagaAction<D> hangs() {
        return (data, context) -> {
            HANGING.add(context.sagaId() + ":" + context.step() + "#" + context.attempt());
            Thread.sleep(Long.MAX_VALUE);
            throw new IllegalStateException("unreachable");
        };
    }

    private static final java.util.Set<String> HANGING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private SagaFixture<D> drive() {
        long end = System.nanoTime() + IDLE.toNanos();
        while (System.nanoTime() < end) {
            int transitions = engine.runDue();
            boolean attempting = engine.isRunningAttempt(sagaId); // before loading: an answer is stored before this turns false
            if (transitions == 0 && settled(state(), attempting)) return this;
            if (transitions == 0) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while driving saga " + sagaId, e);
                }
            }
        }
        throw new AssertionError("saga " + sagaId + " did not settle within " + IDLE + ": a step that does not answer? "
                + "use SagaFixture.hangs() for it, give it a timeout and move the virtual clock past it");
    }

    /** Ended, waiting for a retry, or waiting for the deadline of an attempt that hangs or that no engine runs. */
    private boolean settled(SagaState<D> state, boolean attempting) {
        if (!state.status().inFlight()) return true;
        if (state.open().isPresent()) {
            var open = state.open().get();
            boolean hanging = HANGING.contains(sagaId + ":" + open.step() + "#" + open.attempt());
            return (hanging || !attempting) && open.deadline().isAfter(clock.instant());
        }
        return state.retryAt().isPresent() && state.retryAt().get().isAfter(clock.instant());
    }

    private String started() {
        if (sagaId == null) throw new IllegalStateException("no saga started yet: call when(id, data) first");
        return sagaId;
    }
}
