// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.Failures;
import dev.factum.saga.SagaEvent.*;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import dev.factum.transport.InvalidMessageException;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.RejectedMessageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sagas of one {@link SagaDefinition}, durably. Every transition is appended to the saga's stream with the
 * version it was decided on as its {@link ExpectedVersion}, so when several engines (threads, processes) share a
 * store only one of them records each transition: a loser's append fails, it reloads, and waits for the winner's
 * attempt to answer or to pass its deadline. Actions run on virtual threads; their answer is recorded only if the
 * attempt is still the saga's open attempt.
 *
 * <p>The engine finds its work by reading the saga category ({@code <SagaName>-*}) from the start of the store, so
 * a new engine on an old store resumes every in-flight saga by itself. Due times (retries, deadlines) are in the
 * events and compared with the injected {@link Clock}: an attempt whose engine crashed times out and is tried again
 * — with the same idempotency key — by whichever engine is running. Steps are therefore at least once.
 *
 * <p>Remote participants: an action that sent its request answers {@link SagaReply#awaiting()}; the attempt stays
 * open until {@link #deliver} (or the {@link #replyHandler()} of a transport consumer) records the participant's
 * reply for that very attempt, or its deadline passes.
 *
 * <p>Drive it with {@link #runDue()} (one pass; tests with a manual clock), {@link #awaitIdle(Duration)}, or
 * {@link #runInBackground()}.
 *
 * @since 0.1
 */
public final class SagaEngine<D> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SagaEngine.class);

    private final EventStore store;
    private final SagaDefinition<D> definition;
    private final DeadLetterStore deadLetters;
    private final Clock clock;
    private final Duration pollInterval;
    private final ObjectMapper mapper = EventCodec.defaultMapper();
    private final SagaHistory<D> history;
    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final ExecutorService actions = Executors.newVirtualThreadPerTaskExecutor();
    private final Object wake = new Object();
    /** Signals sent so far, guarded by {@code wake}: the loop skips its wait when one arrived during a pass. */
    private long signals;
    private Position cursor = Position.BEGINNING;
    private volatile boolean closed;
    private Thread loop;
    private AutoCloseable commitListener;

    private SagaEngine(Builder<D> b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.definition = Objects.requireNonNull(b.definition, "definition");
        this.deadLetters = Objects.requireNonNull(b.deadLetters, "deadLetters: a saga engine parks failed compensations as dead letters");
        this.clock = b.clock;
        this.pollInterval = b.pollInterval;
        this.history = new SagaHistory<>(definition, mapper);
    }

    public static <D> Builder<D> builder(EventStore store, SagaDefinition<D> definition) {
        return new Builder<>(store, definition);
    }

    /** The consumer name of this engine's dead letters: {@code saga:<SagaName>}. */
    public String consumerName() {
        return "saga:" + definition.name();
    }

    /**
     * Starts saga {@code sagaId} with {@code data}: appends {@code SagaStarted} to a new stream.
     *
     * @throws IllegalStateException if a saga with that id exists already
     */
    public String start(String sagaId, D data) {
        Objects.requireNonNull(data, "saga data");
        StreamId stream = StreamId.of(definition.name(), sagaId);
        try {
            append(sagaId, ExpectedVersion.noStream(), List.of(new SagaStarted(definition.name(), mapper.valueToTree(data), clock.instant())));
        } catch (WrongExpectedVersionException e) {
            throw new IllegalStateException("saga " + stream + " was started already", e);
        }
        due.put(sagaId, Instant.MIN);
        signal();
        return sagaId;
    }

    /** Starts a saga with a fresh id and returns it. */
    public String start(D data) {
        return start(UUID.randomUUID().toString(), data);
    }

    /** The saga's state, replayed from its stream. */
    public Optional<SagaState<D>> find(String sagaId) {
        return history.fold(sagaId, read(sagaId));
    }

    /** The saga's transitions, oldest first: its timeline. */
    public List<SagaEvent> timeline(String sagaId) {
        return read(sagaId).stream().map(history::decode).toList();
    }

    /**
     * One pass: picks up sagas new in the store, then makes every saga that is due now take its next transition
     * (start an attempt, record a timeout, complete, compensate). Answers of attempts are recorded when they come.
     *
     * @return how many transitions this pass appended
     */
    public synchronized int runDue() {
        discover();
        Instant now = clock.instant();
        int transitions = 0;
        for (var entry : List.copyOf(due.entrySet())) {
            if (entry.getValue().isAfter(now) || closed) continue;
            try {
                transitions += advance(entry.getKey(), now);
            } catch (WrongExpectedVersionException e) {
                LOG.debug("saga {} moved under us; reloading it next pass", e.stream());
                due.put(entry.getKey(), Instant.MIN);
            } catch (RuntimeException e) {
                if (closed) return transitions;
                LOG.error("saga {}-{} could not take its next transition; trying again in {}", definition.name(),
                        entry.getKey(), pollInterval, e); // one broken saga does not stop the others
                due.put(entry.getKey(), now.plus(pollInterval));
            }
        }
        return transitions;
    }

    /**
     * Runs passes until nothing is due now and no attempt of this engine is under way, or {@code max} passed.
     *
     * @return whether it became idle
     */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            int transitions = runDue();
            Instant now = clock.instant();
            boolean attempting = !running.isEmpty(); // read before due: an answer marks the saga due, then stops running
            boolean dueNow = due.values().stream().anyMatch(at -> !at.isAfter(now));
            if (transitions == 0 && !attempting && !dueNow) return true;
            if (transitions == 0) {
                synchronized (wake) {
                    wake.wait(20);
                }
            }
        }
        return false;
    }

    /**
     * Records a remote participant's reply to attempt {@code attempt} of {@code step} of saga {@code sagaId}: done
     * (the step succeeds with the reply's data) or refused (compensation starts). The reply is recorded only while
     * that attempt is the saga's open attempt and its deadline has not passed, with the same version guard as every
     * transition, so whichever engine holds the saga (this one, another process, a new one after a crash) records it
     * once. A reply for another attempt, a duplicate, a reply after the attempt closed (it succeeded, was refused,
     * timed out — then the step's retry policy applies) or for an unknown or finished saga is ignored.
     *
     * @return whether the reply was recorded
     * @throws IllegalArgumentException if {@code reply} is {@link SagaReply#awaiting()}
     */
    public boolean deliver(String sagaId, String step, int attempt, SagaReply<D> reply) {
        return deliver(sagaId, step, attempt, reply, false);
    }

    /**
     * Records a remote participant's reply to attempt {@code attempt} of {@code step}'s compensation (one declared
     * with {@link SagaDefinition.Builder#compensateRemotely}): done means the step is undone; refused is a failed
     * attempt (retried by the compensation policy, then parked with a dead letter). The same rules as
     * {@link #deliver}: only the open compensation attempt, before its deadline, once.
     *
     * @return whether the reply was recorded
     */
    public boolean deliverCompensation(String sagaId, String step, int attempt, SagaReply<D> reply) {
        return deliver(sagaId, step, attempt, reply, true);
    }

    private boolean deliver(String sagaId, String step, int attempt, SagaReply<D> reply, boolean compensation) {
        Objects.requireNonNull(reply, "reply");
        if (reply instanceof SagaReply.Awaiting<D>) {
            throw new IllegalArgumentException("a participant's reply to saga " + sagaId + " step '" + step
                    + "' is done or refused, not awaiting");
        }
        return deliver(sagaId, step, attempt, state -> reply, compensation);
    }

    /** Records the reply {@code answer} makes of the saga's state, under the rules of {@link #deliver}. */
    private boolean deliver(String sagaId, String step, int attempt, Function<SagaState<D>, SagaReply<D>> answer,
                            boolean compensation) {
        Objects.requireNonNull(sagaId, "sagaId");
        Objects.requireNonNull(step, "step");
        while (true) {
            SagaState<D> state = find(sagaId).orElse(null);
            Instant now = clock.instant();
            SagaState.OpenAttempt open = state == null ? null : state.open().orElse(null);
            if (open == null || open.compensation() != compensation || !open.step().equals(step) || open.attempt() != attempt
                    || !state.status().inFlight()) {
                LOG.info("reply to saga {}-{} step '{}' attempt {} ignored: that attempt is not open ({})", definition.name(),
                        sagaId, step, attempt, state == null ? "no such saga" : describe(state));
                return false;
            }
            if (!open.deadline().isAfter(now)) {
                LOG.info("reply to saga {}-{} step '{}' attempt {} ignored: it came after the attempt's deadline {}",
                        definition.name(), sagaId, step, attempt, open.deadline());
                return false;
            }
            SagaReply<D> reply = answer.apply(state);
            try {
                transition(sagaId, state.version(), compensation
                        ? compensationAnswered(state, step, attempt, reply, now) : answered(step, attempt, reply, now));
            } catch (WrongExpectedVersionException e) {
                continue; // the saga moved (its StepAwaiting, or another engine's transition): look again
            }
            due.put(sagaId, Instant.MIN);
            signal();
            return true;
        }
    }

    /**
     * A {@link MessageHandler} for the consumer of participants' replies on any transport: it reads each
     * {@link SagaMessages#REPLY_TYPE} message whose {@value SagaMessages#SAGA} header names this saga and
     * {@linkplain #deliver delivers} it — to the step's compensation ({@link #deliverCompensation}) when its
     * idempotency key is the compensation's; other messages are acknowledged and left alone. A malformed reply is refused
     * with {@link RejectedMessageException} (a dead letter at once) naming the problem.
     */
    public MessageHandler replyHandler() {
        return message -> {
            if (!SagaMessages.REPLY_TYPE.equals(message.type())
                    || !definition.name().equals(message.headers().get(SagaMessages.SAGA))) {
                return;
            }
            SagaMessages.Correlation correlation;
            SagaMessages.Answer answer;
            try {
                correlation = SagaMessages.correlation(message);
                answer = SagaMessages.answerOf(message);
            } catch (InvalidMessageException e) {
                throw new RejectedMessageException(e.getMessage(), e);
            }
            if (!correlation.sagaId().equals(message.correlationId())) {
                throw new RejectedMessageException("saga reply " + message.messageId() + " has correlation id '"
                        + message.correlationId() + "' but header " + SagaMessages.SAGA_ID + " '" + correlation.sagaId() + "'");
            }
            SagaStep<D> step = definition.steps().stream().filter(s -> s.name().equals(correlation.step())).findFirst()
                    .orElseThrow(() -> new RejectedMessageException("saga reply " + message.messageId() + " names step '"
                            + correlation.step() + "', which saga " + definition.name() + " does not have"));
            boolean compensation = correlation.idempotencyKey().endsWith(":" + correlation.step() + ":compensate");
            deliver(correlation.sagaId(), correlation.step(), correlation.attempt(), state -> {
                try {
                    return SagaMessages.replyOf(message, answer, step, state.data(), definition.dataType());
                } catch (InvalidMessageException | ClassCastException | NullPointerException e) {
                    throw new RejectedMessageException(e.getMessage(), e);
                }
            }, compensation);
        };
    }

    private static String describe(SagaState<?> state) {
        return state.status() + state.open().map(o -> ", open: " + (o.compensation() ? "compensation of " : "")
                + "'" + o.step() + "' attempt " + o.attempt()).orElse(", no open attempt");
    }

    /** Whether this engine is waiting for an answer of one of its own attempts of the saga. */
    public boolean isRunningAttempt(String sagaId) {
        return running.containsKey(sagaId);
    }

    /** Drives sagas on a background thread until {@link #close()}: a pass when a commit or an answer arrives, when a saga is due, or every poll interval. */
    public synchronized SagaEngine<D> runInBackground() {
        if (loop != null) throw new IllegalStateException("saga engine " + definition.name() + " runs in the background already");
        commitListener = store.onCommit(this::signal);
        loop = Thread.ofVirtual().name("saga-" + definition.name()).start(this::loop);
        return this;
    }

    /**
     * Operator action: tries the parked compensation of a {@link SagaStatus#NEEDS_ATTENTION} saga again (its dead
     * letter is resolved as replayed; if the compensation keeps failing the saga parks again with a new one).
     *
     * @throws IllegalStateException    if the saga is not parked, naming its status
     * @throws IllegalArgumentException if there is no such saga
     */
    public void retry(String sagaId, String note) {
        SagaState<D> state = parked(sagaId);
        append(sagaId, ExpectedVersion.exactly(state.version()), List.of(new SagaRetried(note, clock.instant())));
        settle(state, DeadLetterState.REPLAYED, "saga retried: " + note);
        due.put(sagaId, Instant.MIN);
        signal();
    }

    /**
     * Operator action: marks a parked saga as resolved by hand ({@link SagaStatus#RESOLVED}); its dead letter is
     * discarded with the note. The engine leaves it alone from then on.
     */
    public void resolve(String sagaId, String note) {
        SagaState<D> state = parked(sagaId);
        append(sagaId, ExpectedVersion.exactly(state.version()), List.of(new SagaResolved(note, clock.instant())));
        settle(state, DeadLetterState.DISCARDED, "saga resolved: " + note);
    }

    /** Stops the engine. Attempts under way are interrupted and their answers not recorded: they time out and run again elsewhere. */
    @Override
    public void close() {
        closed = true;
        actions.shutdownNow();
        if (commitListener != null) {
            try {
                commitListener.close();
            } catch (Exception e) {
                LOG.warn("could not remove the commit listener of saga engine {}", definition.name(), e);
            }
        }
        signal();
        if (loop != null) {
            try {
                loop.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (!closed) {
            long seen;
            synchronized (wake) {
                seen = signals;
            }
            try {
                runDue();
            } catch (RuntimeException e) {
                if (!closed) LOG.warn("saga engine {} pass failed; trying again", definition.name(), e);
            }
            Instant now = clock.instant();
            long waitMillis = pollInterval.toMillis();
            for (Instant at : due.values()) {
                // a saga already due (a reply or a new saga recorded during the pass) is run after the shortest wait
                waitMillis = at.isAfter(now) ? Math.min(waitMillis, Duration.between(now, at).toMillis()) : 1;
                if (waitMillis <= 1) break;
            }
            synchronized (wake) {
                try {
                    // a signal sent during the pass is not lost: it was counted, so the loop goes round at once
                    if (!closed && signals == seen) wake.wait(Math.max(1, waitMillis));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void signal() {
        synchronized (wake) {
            signals++;
            wake.notifyAll();
        }
    }

    private void discover() {
        while (true) {
            List<RecordedEvent> batch = store.readAll(ReadAllOptions.after(cursor).category(definition.name()));
            if (batch.isEmpty()) return;
            for (RecordedEvent event : batch) due.put(event.stream().id(), Instant.MIN);
            cursor = batch.getLast().position();
        }
    }

    private int advance(String id, Instant now) {
        SagaState<D> state = find(id).orElse(null);
        if (state == null || !state.status().inFlight()) {
            due.remove(id);
            return 0;
        }
        if (state.open().isPresent()) {
            SagaState.OpenAttempt open = state.open().get();
            if (open.deadline().isAfter(now)) {
                due.put(id, open.deadline());
                return 0;
            }
            running.remove(id);
            String error = "timed out after " + stepOf(open.step()).timeout();
            List<SagaEvent> events = open.compensation()
                    ? compensationFailed(state, open.step(), open.attempt(), state.version(), error, null, now)
                    : stepFailed(open.step(), open.attempt(), null, now);
            return record(state, events);
        }
        if (state.retryAt().isPresent() && state.retryAt().get().isAfter(now)) {
            due.put(id, state.retryAt().get());
            return 0;
        }
        if (state.status() == SagaStatus.RUNNING) {
            if (state.stepsDone() == definition.steps().size()) return record(state, List.of(new SagaCompleted(now)));
            return begin(state, definition.steps().get(state.stepsDone()), false, now);
        }
        if (state.toCompensate().isEmpty()) return record(state, List.of(new SagaCompensated(now)));
        return begin(state, stepOf(state.toCompensate().getLast()), true, now);
    }

    private int begin(SagaState<D> state, SagaStep<D> step, boolean compensation, Instant now) {
        int attempt = state.failures().size() + 1;
        Instant deadline = now.plus(step.timeout());
        SagaEvent started = compensation
                ? new CompensationStarted(step.name(), attempt, deadline, now)
                : new StepStarted(step.name(), attempt, deadline, now);
        long startedVersion = append(state.id(), ExpectedVersion.exactly(state.version()), List.of(started));
        String key = state.id() + ":" + step.name() + (compensation ? ":compensate" : "");
        StepContext context = new StepContext(state.id(), step.name(), attempt, key, deadline);
        due.put(state.id(), deadline);
        running.put(state.id(), startedVersion);
        actions.submit(() -> attempt(state, step, compensation, context, startedVersion));
        return 1;
    }

    private void attempt(SagaState<D> state, SagaStep<D> step, boolean compensation, StepContext context, long startedVersion) {
        SagaReply<D> reply = null;
        Throwable error = null;
        boolean awaits = false;
        try {
            if (compensation) {
                SagaCompensation<D> undo = step.compensation().orElseThrow();
                awaits = undo instanceof AwaitingCompensation<D>;
                undo.compensate(state.data(), context);
            } else {
                reply = Objects.requireNonNull(step.action().run(state.data(), context),
                        () -> "step '" + step.name() + "' answered null; answer SagaReply.done(data) or SagaReply.refused(reason)");
            }
        } catch (Throwable t) {
            error = t;
        }
        try {
            if (closed) return;
            Instant now = clock.instant();
            List<SagaEvent> events;
            if (compensation) {
                events = error != null
                        ? compensationFailed(state, step.name(), context.attempt(), startedVersion, Failures.reason(error), error, now)
                        : awaits ? List.of(new CompensationAwaiting(step.name(), context.attempt(), now))
                        : List.of(new CompensationSucceeded(step.name(), context.attempt(), now));
            } else if (error != null) {
                events = stepFailed(step.name(), context.attempt(), error, now);
            } else if (reply instanceof SagaReply.Awaiting<D>) {
                events = List.of(new StepAwaiting(step.name(), context.attempt(), now));
            } else {
                events = answered(step.name(), context.attempt(), reply, now);
            }
            transition(state.id(), startedVersion, events);
        } catch (WrongExpectedVersionException e) {
            if (error == null && (awaits || reply instanceof SagaReply.Awaiting<D>)) {
                LOG.debug("saga {} step '{}' attempt {} was closed before it was recorded as awaiting (its reply came first, or it timed out)",
                        state.id(), step.name(), context.attempt());
                return;
            }
            LOG.info("answer of saga {} step '{}' attempt {} came after the attempt was closed (timed out); not recorded",
                    state.id(), step.name(), context.attempt());
        } catch (RuntimeException e) {
            if (!closed) LOG.warn("could not record the answer of saga {} step '{}'; it will time out and run again", state.id(), step.name(), e);
        } finally {
            synchronized (this) { // after any pass that saw the attempt open, so its due time is not overwritten
                due.put(state.id(), Instant.MIN);
                running.remove(state.id(), startedVersion);
            }
            signal();
        }
    }

    private List<SagaEvent> compensationAnswered(SagaState<D> state, String stepName, int attempt, SagaReply<D> reply, Instant now) {
        if (reply instanceof SagaReply.Refused<D> refused) {
            return compensationFailed(state, stepName, attempt, state.version(), "refused: " + refused.reason(), null, now);
        }
        return List.of(new CompensationSucceeded(stepName, attempt, now));
    }

    private List<SagaEvent> answered(String stepName, int attempt, SagaReply<D> reply, Instant now) {
        return switch (reply) {
            case SagaReply.Done<D> done -> List.of(new StepSucceeded(stepName, attempt, mapper.valueToTree(done.data()), now));
            case SagaReply.Refused<D> refused -> List.of(new StepRefused(stepName, attempt, refused.reason(), now),
                    new Compensating(refused.reason(), now));
            case SagaReply.Awaiting<D> awaiting -> throw new IllegalArgumentException(
                    "a participant's reply to saga step '" + stepName + "' is done or refused, not awaiting");
        };
    }

    private List<SagaEvent> stepFailed(String stepName, int attempt, Throwable error, Instant now) {
        Optional<Duration> delay = stepOf(stepName).retry().delayAfter(attempt);
        Instant retryAt = delay.map(now::plus).orElse(null);
        List<SagaEvent> events = new ArrayList<>();
        String reason = error == null ? "timed out after " + stepOf(stepName).timeout() : Failures.reason(error);
        events.add(error == null ? new StepTimedOut(stepName, attempt, retryAt, now) : new StepFailed(stepName, attempt, reason, retryAt, now));
        if (retryAt == null) events.add(new Compensating("step '" + stepName + "' failed: " + reason, now));
        return events;
    }

    /** A failed compensation attempt: retried later, or — out of attempts — the saga parks with a dead letter. */
    private List<SagaEvent> compensationFailed(SagaState<D> state, String stepName, int attempt, long openVersion,
                                               String reason, Throwable error, Instant now) {
        Optional<Duration> delay = definition.compensationRetry().delayAfter(attempt);
        if (delay.isPresent()) return List.of(new CompensationFailed(stepName, attempt, reason, now.plus(delay.get()), now));
        DeadLetter letter = SagaParking.letter(definition, consumerName(), state, stepName, attempt, openVersion, reason, error, now);
        deadLetters.add(letter); // first: a saga is never parked without its letter
        return List.of(new CompensationFailed(stepName, attempt, reason, null, now), new SagaParked(stepName, reason, letter.id(), now));
    }

    private int record(SagaState<D> state, List<SagaEvent> events) {
        transition(state.id(), state.version(), events);
        due.put(state.id(), Instant.MIN);
        return 1;
    }

    /**
     * Appends a transition decided at {@code version}. If another engine got there first, a dead letter this
     * transition added for a park that did not happen is withdrawn (discarded), and the conflict is rethrown.
     */
    private void transition(String sagaId, long version, List<SagaEvent> events) {
        try {
            append(sagaId, ExpectedVersion.exactly(version), events);
        } catch (WrongExpectedVersionException e) {
            for (SagaEvent event : events) {
                if (event instanceof SagaParked parked) withdraw(sagaId, parked.deadLetter());
            }
            throw e;
        }
    }

    private void withdraw(String sagaId, UUID letter) {
        boolean parkedWithIt = find(sagaId).flatMap(SagaState::deadLetter).filter(letter::equals).isPresent();
        if (parkedWithIt) return; // another engine parked the same attempt with the same letter
        try {
            deadLetters.resolve(letter, DeadLetterState.DISCARDED, "withdrawn: another engine moved saga " + sagaId
                    + " on before it could be parked", clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("could not withdraw dead letter {} of saga {}", letter, sagaId, e);
        }
    }

    private long append(String sagaId, ExpectedVersion expected, List<SagaEvent> events) {
        List<NewEvent> encoded = new ArrayList<>();
        for (SagaEvent event : events) {
            try {
                encoded.add(new NewEvent(event.getClass().getSimpleName(), mapper.writeValueAsString(event),
                        Metadata.create().withCorrelationId(sagaId)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("saga event " + event + " cannot be written as JSON: " + e.getMessage(), e);
            }
        }
        return store.append(StreamId.of(definition.name(), sagaId), expected, encoded).lastVersion();
    }

    private List<RecordedEvent> read(String sagaId) {
        return store.readStream(StreamId.of(definition.name(), sagaId), ReadStreamOptions.forward());
    }

    private SagaStep<D> stepOf(String name) {
        return definition.step(name);
    }

    private SagaState<D> parked(String sagaId) {
        SagaState<D> state = find(sagaId).orElseThrow(() -> new IllegalArgumentException(
                "there is no saga " + StreamId.of(definition.name(), sagaId)));
        if (state.status() != SagaStatus.NEEDS_ATTENTION) {
            throw new IllegalStateException("saga " + sagaId + " is " + state.status() + ", not NEEDS_ATTENTION");
        }
        return state;
    }

    private void settle(SagaState<D> state, DeadLetterState to, String note) {
        state.deadLetter().ifPresent(letter -> {
            try {
                deadLetters.resolve(letter, to, note, clock.instant());
            } catch (IllegalStateException e) {
                LOG.info("dead letter {} of saga {} was resolved already: {}", letter, state.id(), e.getMessage());
            }
        });
    }

    /** Configures a {@link SagaEngine}. */
    public static final class Builder<D> {
        private final EventStore store;
        private final SagaDefinition<D> definition;
        private DeadLetterStore deadLetters;
        private Clock clock = Clock.systemUTC();
        private Duration pollInterval = Duration.ofSeconds(1);

        private Builder(EventStore store, SagaDefinition<D> definition) {
            this.store = store;
            this.definition = definition;
        }

        /** Where parked compensations go (required). */
        public Builder<D> deadLetters(DeadLetterStore store) {
            this.deadLetters = store;
            return this;
        }

        /** The clock of due times and timeouts (tests pass one they can move). */
        public Builder<D> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often the background loop looks for work when nothing wakes it (default 1 s). */
        public Builder<D> pollInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive, was " + interval);
            }
            this.pollInterval = interval;
            return this;
        }

        public SagaEngine<D> build() {
            return new SagaEngine<>(this);
        }
    }
}
