// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factum.event.RecordedEvent;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.saga.SagaAction;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaEvent;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaParticipant;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaState;
import dev.factum.saga.SagaStatus;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import dev.factum.transport.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

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
 * checks it, {@link #whenReplied} delivers the participant's reply, {@link #whenTimePasses} lets it time out. A
 * definition that appends its requests to an outbox ({@link SagaMessages#request}) is built on the fixture's own store
 * with {@link #of(Function)}: {@link #thenRequested} asserts the requests (the commands sent to participants, in
 * order) and {@link #whenAnswered} answers the open attempt's request as a participant would — as a reply message
 * through {@link SagaEngine#replyHandler()}, so the step's {@code onDone} folds the result:
 *
 * <pre>{@code
 * try (var saga = SagaFixture.of(outbox -> tripSaga(outbox))) {
 *     saga.when("t1", trip)
 *         .thenRequested("RoomRequested")
 *         .whenAnswered(Answer.done(new Room("101")))
 *         .thenRequested("RoomRequested", "ChargeRequested")
 *         .whenAnswered(Answer.refused("CARD_DECLINED"))
 *         .thenRequested("RoomRequested", "ChargeRequested", "RoomCancellationRequested");
 * }
 * }</pre>
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

    private SagaFixture(Function<EventStore, SagaDefinition<D>> definition) {
        SagaDefinition<D> built = Objects.requireNonNull(definition.apply(store), "the definition built on the outbox was null");
        this.engine = SagaEngine.builder(store, built).deadLetters(deadLetters).clock(clock).build();
    }

    /** A fixture for {@code definition}. */
    public static <D> SagaFixture<D> of(SagaDefinition<D> definition) {
        Objects.requireNonNull(definition, "definition");
        return new SagaFixture<>(outbox -> definition);
    }

    /**
     * A fixture for the definition {@code definition} builds on an outbox — the fixture's own store, where its steps
     * append their requests ({@link #thenRequested}) and where {@link #whenAnswered} appends the participants' replies.
     */
    public static <D> SagaFixture<D> of(Function<EventStore, SagaDefinition<D>> definition) {
        return new SagaFixture<>(Objects.requireNonNull(definition, "definition"));
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

    /**
     * A participant's answer to the open attempt's request (the last request sent for that step and attempt): appended
     * as the reply {@link dev.factum.saga.SagaParticipant} would append, then handed to the engine's
     * {@link SagaEngine#replyHandler()} like a consumer would; then runs until idle.
     *
     * @throws AssertionError if no attempt is open or its request was not sent to the outbox
     */
    public SagaFixture<D> whenAnswered(SagaParticipant.Answer answer) {
        Objects.requireNonNull(answer, "answer");
        SagaState.OpenAttempt open = state().open().orElseThrow(() -> new AssertionError("saga " + sagaId
                + " has no open attempt to answer; it is " + state().status()));
        Message request = requests().stream().filter(m -> {
            SagaMessages.Correlation c = SagaMessages.correlation(m);
            return c.step().equals(open.step()) && c.attempt() == open.attempt()
                    && c.idempotencyKey().endsWith(":compensate") == open.compensation();
        }).reduce((first, second) -> second).orElseThrow(() -> new AssertionError("saga " + sagaId + " sent no request for "
                + (open.compensation() ? "the compensation of " : "") + "step '" + open.step() + "' attempt " + open.attempt()
                + "; requests: " + requests().stream().map(Message::type).toList()));
        StreamId to = SagaMessages.replyStream(request);
        long version = store.append(to, ExpectedVersion.any(), List.of(answer.replyTo(request))).lastVersion();
        RecordedEvent stored = store.readStream(to, ReadStreamOptions.forward()).stream()
                .filter(e -> e.version() == version).findFirst().orElseThrow();
        try {
            engine.replyHandler().handle(Message.of(stored));
        } catch (Exception e) {
            throw new AssertionError("the engine refused the reply to saga " + sagaId + " step '" + open.step() + "': " + e, e);
        }
        return drive();
    }

    /** The requests this saga sent to the outbox so far, in the order sent ({@link SagaMessages#request}). */
    public List<Message> requests() {
        List<Message> sent = new ArrayList<>();
        for (RecordedEvent event : store.readAll(ReadAllOptions.after(Position.BEGINNING))) {
            if (event.type().equals(SagaMessages.REPLY_TYPE)) continue;
            Map<String, String> headers = event.metadata().headers();
            if (started().equals(headers.get(SagaMessages.SAGA_ID)) && headers.containsKey(SagaMessages.ATTEMPT)) {
                sent.add(Message.of(event));
            }
        }
        return sent;
    }

    /** The types of the requests sent so far, in order ({@code "ReserveStockRequested"}, …). */
    public SagaFixture<D> thenRequested(String... types) {
        assertThat(requests().stream().map(Message::type)).as("requests sent by saga %s", sagaId).containsExactly(types);
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
            if (!open.deadline().isAfter(clock.instant())) return false; // due: the engine records the timeout
            if (!open.compensation() && HANGING.contains(sagaId + ":" + open.step() + "#" + open.attempt())) return true;
            // otherwise only a remote wait is settled: a local attempt under way answers by itself
            SagaEvent last = timeline().getLast();
            return !attempting && (last instanceof SagaEvent.StepAwaiting || last instanceof SagaEvent.CompensationAwaiting);
        }
        return state.retryAt().isPresent() && state.retryAt().get().isAfter(clock.instant());
    }

    private String started() {
        if (sagaId == null) throw new IllegalStateException("no saga started yet: call when(id, data) first");
        return sagaId;
    }
}
