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
import dev.factum.store.AppendResult;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * {@link #runInBackground()}. Sagas move concurrently — the transitions of different sagas are appended from
 * their own virtual threads, so a store with group commit writes many of them in one transaction — and each saga
 * one transition at a time. In the background an answered attempt is recorded together with the saga's next
 * transition when that is due at once (the next step's {@code StepStarted}, {@code SagaCompleted}, the first
 * compensation…), in one append, and the next action runs right after it on the same thread: its start is durable
 * before it runs, as always. {@link #runDue()} takes one transition per saga and pass.
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
    /** What this engine knows of each saga it may have to move; a saga's entry goes once it ended and was discovered. */
    private final Map<String, Slot<D>> slots = new ConcurrentHashMap<>();
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    /** Runs the actions and compensations, and the transitions of a pass (one virtual thread each). */
    private final ExecutorService actions = Executors.newVirtualThreadPerTaskExecutor();
    /** Signals sent so far: the loop skips its wait when one arrived during a pass. */
    private final AtomicLong signals = new AtomicLong();
    /** Threads waiting for a signal (the loop, {@link #awaitIdle}): a signal unparks them, without a lock. */
    private final Set<Thread> sleepers = ConcurrentHashMap.newKeySet();
    private final Object discovering = new Object();
    /** How far {@link #discover()} read the saga category; guarded by {@code discovering}. */
    private Position cursor = Position.BEGINNING;
    private volatile boolean closed;
    /** Whether answers are recorded with the next transition and the next action runs at once (in the background). */
    private volatile boolean chaining;
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
     * Starts saga {@code sagaId} with {@code data}: appends {@code SagaStarted} to a new stream — in the background
     * ({@link #runInBackground()}) together with its first step's {@code StepStarted}, whose action then runs at once.
     *
     * @throws IllegalStateException if a saga with that id exists already
     */
    public String start(String sagaId, D data) {
        Objects.requireNonNull(data, "saga data");
        StreamId stream = StreamId.of(definition.name(), sagaId);
        Slot<D> slot = slots.computeIfAbsent(sagaId, k -> new Slot<>());
        long seen = seen(slot);
        Instant now = clock.instant();
        Plan<D> plan = plan(sagaId, null, List.of(new SagaStarted(definition.name(), mapper.valueToTree(data), now)), now, chaining);
        Launch<D> launch;
        try {
            launch = commit(sagaId, slot, seen, null, plan);
        } catch (WrongExpectedVersionException e) {
            wake(sagaId, true);
            throw new IllegalStateException("saga " + stream + " was started already", e);
        }
        if (launch != null) launch(launch);
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
     * (start an attempt, record a timeout, complete, compensate), each saga on a virtual thread of its own, and
     * waits for them. Answers of attempts are recorded when they come.
     *
     * @return how many transitions this pass appended
     */
    public int runDue() {
        return pass(true);
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
            boolean dueNow = slots.values().stream().anyMatch(slot -> slot.dueBy(now));
            if (transitions == 0 && !attempting && !dueNow) return true;
            if (transitions == 0) {
                sleep(signals.get(), 20);
                if (Thread.interrupted()) throw new InterruptedException("interrupted while the saga engine " + definition.name() + " was idling");
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
        // the state this engine last wrote, if any, spares a read; it may be behind the stream, so whatever it
        // refuses is looked at again on a fresh read, and an append decided on it that conflicts reads afresh too
        Slot<D> known = slots.get(sagaId);
        SagaState<D> remembered = known == null ? null : known.remembered();
        boolean fresh = remembered == null;
        while (true) {
            SagaState<D> state = fresh ? find(sagaId).orElse(null) : remembered;
            Instant now = clock.instant();
            SagaState.OpenAttempt open = state == null ? null : state.open().orElse(null);
            if (open == null || open.compensation() != compensation || !open.step().equals(step) || open.attempt() != attempt
                    || !state.status().inFlight()) {
                if (!fresh) {
                    fresh = true;
                    continue;
                }
                LOG.info("reply to saga {}-{} step '{}' attempt {} ignored: that attempt is not open ({})", definition.name(),
                        sagaId, step, attempt, state == null ? "no such saga" : describe(state));
                return false;
            }
            if (!open.deadline().isAfter(now)) {
                if (!fresh) {
                    fresh = true;
                    continue;
                }
                LOG.info("reply to saga {}-{} step '{}' attempt {} ignored: it came after the attempt's deadline {}",
                        definition.name(), sagaId, step, attempt, open.deadline());
                return false;
            }
            SagaReply<D> reply;
            try {
                reply = answer.apply(state);
            } catch (RuntimeException e) {
                if (!fresh) {
                    fresh = true;
                    continue;
                }
                throw e;
            }
            List<SagaEvent> events = compensation
                    ? compensationAnswered(state, step, attempt, reply, now) : answered(step, attempt, reply, now);
            // seen after the read: a wake-up for anything before it is covered by the version guard of the append
            Slot<D> slot = slots.computeIfAbsent(sagaId, k -> new Slot<>());
            long seen = seen(slot);
            Launch<D> launch;
            try {
                launch = commit(sagaId, slot, seen, state, plan(sagaId, state, events, now, chaining));
            } catch (WrongExpectedVersionException e) {
                slot.wake(true);
                fresh = true;
                continue; // the saga moved (its StepAwaiting, or another engine's transition): look again
            }
            if (launch != null) launch(launch);
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
        chaining = true;
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
        wake(sagaId, true);
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
            long seen = signals.get();
            try {
                pass(false);
            } catch (RuntimeException e) {
                if (!closed) LOG.warn("saga engine {} pass failed; trying again", definition.name(), e);
            }
            Instant now = clock.instant();
            long waitMillis = pollInterval.toMillis();
            for (Slot<D> slot : slots.values()) {
                Instant at = slot.waitingUntil();
                if (at == null || at.equals(Instant.MAX)) continue;
                // a saga already due (a reply or a new saga recorded during the pass) is run after the shortest wait
                waitMillis = at.isAfter(now) ? Math.min(waitMillis, Duration.between(now, at).toMillis()) : 1;
                if (waitMillis <= 1) break;
            }
            // a signal sent during the pass is not lost: it was counted, so the loop goes round at once
            sleep(seen, Math.max(1, waitMillis));
            if (Thread.currentThread().isInterrupted()) return;
        }
    }

    /** Parks until a signal after the {@code seen}-th one, or {@code millis}. */
    private void sleep(long seen, long millis) {
        Thread me = Thread.currentThread();
        sleepers.add(me);
        try {
            // registered first: a signal after this check unparks us, one before it is counted
            if (!closed && signals.get() == seen) LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(millis));
        } finally {
            sleepers.remove(me);
        }
    }

    /** Wakes the loop (and {@link #awaitIdle}) — called on the store's commit thread too, so it takes no lock. */
    private void signal() {
        signals.incrementAndGet();
        for (Thread sleeper : sleepers) LockSupport.unpark(sleeper);
    }

    /**
     * Makes saga {@code id} due now: something moved it that its last writer in this engine did not see (a reply, a
     * conflict, another engine's transition, an operator). {@code stale}: what this engine remembers of it is outdated.
     */
    private void wake(String id, boolean stale) {
        slots.computeIfAbsent(id, k -> new Slot<>()).wake(stale);
        signal();
    }

    private static long seen(Slot<?> slot) {
        synchronized (slot) {
            return slot.wakes;
        }
    }

    /** Picks up sagas new in the store and transitions this engine did not write; forgets sagas that ended. */
    private void discover() {
        synchronized (discovering) {
            while (true) {
                List<RecordedEvent> batch = store.readAll(ReadAllOptions.after(cursor).category(definition.name()));
                if (batch.isEmpty()) break;
                boolean news = false;
                for (RecordedEvent event : batch) {
                    news |= slots.computeIfAbsent(event.stream().id(), k -> new Slot<>()).seen(event.version());
                }
                cursor = batch.getLast().position();
                if (news) signal();
            }
            Position passed = cursor;
            slots.values().removeIf(slot -> slot.endedBefore(passed));
        }
    }

    /**
     * One pass: discovers, then gives every saga due now (and not moving already) a virtual thread that takes its
     * next transition. With {@code wait}, waits for those transitions and returns how many were appended.
     */
    private int pass(boolean wait) {
        discover();
        Instant now = clock.instant();
        List<Future<Integer>> tasks = new ArrayList<>();
        for (var entry : slots.entrySet()) {
            if (closed) break;
            Slot<D> slot = entry.getValue();
            long seen = slot.claimIfDue(now);
            if (seen < 0) continue;
            String id = entry.getKey();
            try {
                tasks.add(actions.submit(() -> take(id, slot, seen, now)));
            } catch (RejectedExecutionException e) {
                slot.release();
                break; // closed
            }
        }
        if (!wait) return tasks.size();
        int transitions = 0;
        for (Future<Integer> task : tasks) {
            try {
                transitions += task.get();
            } catch (ExecutionException | CancellationException e) {
                if (!closed) LOG.warn("saga engine {}: a transition task failed", definition.name(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return transitions;
    }

    /** Takes the next transition of a saga this thread claimed, and releases it. */
    private int take(String id, Slot<D> slot, long seen, Instant now) {
        try {
            return advance(id, slot, seen, now);
        } catch (WrongExpectedVersionException e) {
            LOG.debug("saga {} moved under us; reloading it next pass", e.stream());
            slot.wake(true);
            return 0;
        } catch (RuntimeException e) {
            if (closed) return 0;
            LOG.error("saga {}-{} could not take its next transition; trying again in {}", definition.name(), id,
                    pollInterval, e); // one broken saga does not stop the others
            slot.retryLater(seen, now.plus(pollInterval));
            return 0;
        } finally {
            slot.release();
            signal();
        }
    }

    private int advance(String id, Slot<D> slot, long seen, Instant now) {
        SagaState<D> state = slot.remembered();
        Position last = null;
        if (state == null) {
            List<RecordedEvent> events = read(id);
            state = history.fold(id, events).orElse(null);
            if (state == null) {
                slots.remove(id, slot);
                return 0;
            }
            last = events.getLast().position();
            slot.remember(state);
        }
        if (!state.status().inFlight()) {
            slot.end(seen, state.version(), last != null ? last : Position.BEGINNING);
            return 0;
        }
        if (state.open().isPresent() && !state.open().get().deadline().isAfter(now)) running.remove(id);
        Plan<D> plan = plan(id, state, List.of(), now, chaining);
        if (plan.events().isEmpty()) {
            slot.schedule(seen, state.version(), plan.due());
            return 0;
        }
        Launch<D> launch = commit(id, slot, seen, state, plan);
        if (launch != null) launch(launch);
        return 1;
    }

    /**
     * What saga {@code id} records now, decided at {@code state} ({@code null}: not started): {@code first} (an
     * answer, or the start), then — when {@code chain}, or when {@code first} is empty — the transitions due at once
     * after it, up to and including the start of an attempt. Without {@code chain} one transition at most.
     */
    private Plan<D> plan(String id, SagaState<D> state, List<SagaEvent> first, Instant now, boolean chain) {
        List<SagaEvent> events = new ArrayList<>(first);
        SagaState<D> s = first.isEmpty() ? state : history.apply(id, state, first);
        if (!first.isEmpty() && (!chain || !s.status().inFlight())) return new Plan<>(events, s, null, dueAfter(s));
        while (s.status().inFlight()) {
            List<SagaEvent> next;
            Begin<D> begin = null;
            SagaState.OpenAttempt open = s.open().orElse(null);
            if (open != null) {
                if (open.deadline().isAfter(now)) return new Plan<>(events, s, null, open.deadline());
                String error = "timed out after " + stepOf(open.step()).timeout();
                next = open.compensation()
                        ? compensationFailed(s, open.step(), open.attempt(), s.version(), error, null, now)
                        : stepFailed(open.step(), open.attempt(), null, now);
            } else if (s.retryAt().isPresent() && s.retryAt().get().isAfter(now)) {
                return new Plan<>(events, s, null, s.retryAt().get());
            } else if (s.status() == SagaStatus.RUNNING) {
                if (s.stepsDone() == definition.steps().size()) {
                    next = List.of(new SagaCompleted(now));
                } else {
                    begin = begin(s, definition.steps().get(s.stepsDone()), false, now);
                    next = List.of(begin.started());
                }
            } else if (s.toCompensate().isEmpty()) {
                next = List.of(new SagaCompensated(now));
            } else {
                begin = begin(s, stepOf(s.toCompensate().getLast()), true, now);
                next = List.of(begin.started());
            }
            events.addAll(next);
            s = history.apply(id, s, next);
            if (begin != null) return new Plan<>(events, s, begin, begin.context().deadline());
            if (!chain) break;
        }
        return new Plan<>(events, s, null, dueAfter(s));
    }

    /** After a transition without a follow-up in the same append: due now (the next pass decides), or never (ended). */
    private static Instant dueAfter(SagaState<?> state) {
        return state.status().inFlight() ? Instant.MIN : Instant.MAX;
    }

    private Begin<D> begin(SagaState<D> state, SagaStep<D> step, boolean compensation, Instant now) {
        int attempt = state.failures().size() + 1;
        Instant deadline = now.plus(step.timeout());
        SagaEvent started = compensation
                ? new CompensationStarted(step.name(), attempt, deadline, now)
                : new StepStarted(step.name(), attempt, deadline, now);
        String key = state.id() + ":" + step.name() + (compensation ? ":compensate" : "");
        return new Begin<>(step, compensation, new StepContext(state.id(), step.name(), attempt, key, deadline), started);
    }

    /**
     * Appends {@code plan}'s events with {@code from}'s version as the guard ({@code from} {@code null}: a new
     * stream), remembers the state they lead to, and returns the attempt they start, to launch — or {@code null}.
     */
    private Launch<D> commit(String id, Slot<D> slot, long seen, SagaState<D> from, Plan<D> plan) {
        long version = from == null ? 0 : from.version();
        slot.writing(version + plan.events().size());
        AppendResult result;
        try {
            result = transition(id, from == null ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version), plan.events());
        } catch (RuntimeException e) {
            slot.writing(-1); // the callers wake the saga: it is read again
            throw e;
        }
        SagaState<D> after = withVersion(plan.after(), result.lastVersion());
        if (plan.begin() != null) running.put(id, after.version());
        slot.settle(seen, after, result.lastPosition(), plan.due());
        return plan.begin() == null ? null : new Launch<>(after, plan.begin());
    }

    private void launch(Launch<D> launch) {
        try {
            actions.submit(() -> attempt(launch));
        } catch (RejectedExecutionException e) {
            running.remove(launch.state().id(), launch.state().version());
            LOG.info("saga {} step '{}' attempt {} was started as the engine closed; it times out and runs again",
                    launch.state().id(), launch.begin().step().name(), launch.begin().context().attempt());
        }
    }

    private static <D> SagaState<D> withVersion(SagaState<D> s, long version) {
        if (s.version() == version) return s;
        return new SagaState<>(s.id(), s.status(), s.data(), version, s.stepsDone(), s.toCompensate(), s.open(),
                s.failures(), s.retryAt(), s.failure(), s.deadLetter());
    }

    /**
     * Runs the attempt {@code launch} started and records its answer — in the background with the saga's next
     * transition, whose attempt then runs here too.
     */
    private void attempt(Launch<D> launch) {
        while (launch != null) {
            launch = attemptOnce(launch.state(), launch.begin());
        }
    }

    private Launch<D> attemptOnce(SagaState<D> open, Begin<D> begin) {
        SagaStep<D> step = begin.step();
        boolean compensation = begin.compensation();
        StepContext context = begin.context();
        long startedVersion = open.version();
        SagaReply<D> reply = null;
        Throwable error = null;
        boolean awaits = false;
        try {
            if (compensation) {
                SagaCompensation<D> undo = step.compensation().orElseThrow();
                awaits = undo instanceof AwaitingCompensation<D>;
                undo.compensate(open.data(), context);
            } else {
                reply = Objects.requireNonNull(step.action().run(open.data(), context),
                        () -> "step '" + step.name() + "' answered null; answer SagaReply.done(data) or SagaReply.refused(reason)");
            }
        } catch (Throwable t) {
            error = t;
        }
        boolean waiting = error == null && (awaits || reply instanceof SagaReply.Awaiting<D>);
        try {
            if (closed) return null;
            Slot<D> slot = slots.computeIfAbsent(open.id(), k -> new Slot<>());
            long seen = seen(slot);
            Instant now = clock.instant();
            List<SagaEvent> events;
            if (compensation) {
                events = error != null
                        ? compensationFailed(open, step.name(), context.attempt(), startedVersion, Failures.reason(error), error, now)
                        : awaits ? List.of(new CompensationAwaiting(step.name(), context.attempt(), now))
                        : List.of(new CompensationSucceeded(step.name(), context.attempt(), now));
            } else if (error != null) {
                events = stepFailed(step.name(), context.attempt(), Failures.reason(error), now);
            } else if (waiting) {
                events = List.of(new StepAwaiting(step.name(), context.attempt(), now));
            } else {
                events = answered(step.name(), context.attempt(), reply, now);
            }
            return commit(open.id(), slot, seen, open, plan(open.id(), open, events, now, chaining && !waiting));
        } catch (WrongExpectedVersionException e) {
            if (waiting) {
                LOG.debug("saga {} step '{}' attempt {} was closed before it was recorded as awaiting (its reply came first, or it timed out)",
                        open.id(), step.name(), context.attempt());
            } else {
                LOG.info("answer of saga {} step '{}' attempt {} came after the attempt was closed (timed out); not recorded",
                        open.id(), step.name(), context.attempt());
            }
            wake(open.id(), true);
            return null;
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("could not record the answer of saga {} step '{}'; it will time out and run again", open.id(), step.name(), e);
            }
            wake(open.id(), true);
            return null;
        } finally {
            running.remove(open.id(), startedVersion);
            signal();
        }
    }

    private List<SagaEvent> compensationAnswered(SagaState<D> state, String stepName, int attempt, SagaReply<D> reply, Instant now) {
        if (reply instanceof SagaReply.Refused<D> refused) {
            return compensationFailed(state, stepName, attempt, state.version(), "refused: " + refused.reason(), null, now);
        }
        if (reply instanceof SagaReply.Failed<D> failed) {
            return compensationFailed(state, stepName, attempt, state.version(), failed.error(), null, now);
        }
        return List.of(new CompensationSucceeded(stepName, attempt, now));
    }

    private List<SagaEvent> answered(String stepName, int attempt, SagaReply<D> reply, Instant now) {
        return switch (reply) {
            case SagaReply.Done<D> done -> List.of(new StepSucceeded(stepName, attempt, mapper.valueToTree(done.data()), now));
            case SagaReply.Refused<D> refused -> List.of(new StepRefused(stepName, attempt, refused.reason(), now),
                    new Compensating(refused.reason(), now));
            case SagaReply.Failed<D> failed -> stepFailed(stepName, attempt, failed.error(), now);
            case SagaReply.Awaiting<D> awaiting -> throw new IllegalArgumentException(
                    "a participant's reply to saga step '" + stepName + "' is done or refused, not awaiting");
        };
    }

    /** A failed attempt of a step's action ({@code error} null: it timed out): retried later, or compensation begins. */
    private List<SagaEvent> stepFailed(String stepName, int attempt, String error, Instant now) {
        Optional<Duration> delay = stepOf(stepName).retry().delayAfter(attempt);
        Instant retryAt = delay.map(now::plus).orElse(null);
        List<SagaEvent> events = new ArrayList<>();
        String reason = error == null ? "timed out after " + stepOf(stepName).timeout() : error;
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

    /** The events to append now, the state they lead to, the attempt they start (or null), and when the saga is due next. */
    private record Plan<D>(List<SagaEvent> events, SagaState<D> after, Begin<D> begin, Instant due) {}

    /** An attempt a plan starts with its {@code started} event. */
    private record Begin<D>(SagaStep<D> step, boolean compensation, StepContext context, SagaEvent started) {}

    /** An attempt whose start is recorded: {@code state} is the saga with it open. */
    private record Launch<D>(SagaState<D> state, Begin<D> begin) {}

    /**
     * What one engine knows of one saga, guarded by itself: when it is due, whether a task of this engine is taking
     * its transition, and the state this engine last wrote or read. Every append and read is still guarded by the
     * stream's version; this only spares reads and keeps this engine's own threads from racing for one saga.
     */
    private static final class Slot<D> {
        private Instant due = Instant.MAX;
        /** Wake-ups so far: a writer that did not see the latest one leaves the saga due now instead of later. */
        private long wakes;
        /** The highest version of the saga's stream this engine appended or read. */
        private long known = -1;
        /**
         * The last version of an append of this engine under way (-1: none): discovery may see its events before
         * the append returns; they are not news. If the append fails, its writer wakes the saga.
         */
        private long writing = -1;
        /** The state at version {@code known}, while nothing else is known to have moved the saga. */
        private SagaState<D> state;
        private boolean claimed;
        /** {@code known} when the current claim was taken. */
        private long knownAtClaim;
        /** When the saga ended: the position of its last event (the slot is forgotten once discovery passed it). */
        private Position end;

        synchronized void wake(boolean stale) {
            wakes++;
            due = Instant.MIN;
            end = null;
            if (stale) state = null;
        }

        /** An event at {@code version} was discovered: news unless this engine wrote or read it. */
        synchronized boolean seen(long version) {
            if (version <= known || version <= writing) return false;
            wake(true);
            return true;
        }

        /** Claims the saga for a transition if due by {@code now}: the wake count seen, or -1. */
        synchronized long claimIfDue(Instant now) {
            if (claimed || end != null || due.isAfter(now)) return -1;
            claimed = true;
            knownAtClaim = known;
            return wakes;
        }

        synchronized void release() {
            claimed = false;
        }

        synchronized boolean dueBy(Instant now) {
            return end == null && (claimed || !due.isAfter(now));
        }

        /** When the loop has to look at it next, or null if it is taken or ended. */
        synchronized Instant waitingUntil() {
            return claimed || end != null ? null : due;
        }

        synchronized SagaState<D> remembered() {
            return state != null && state.version() == known && state.status().inFlight() ? state : null;
        }

        synchronized void writing(long upTo) {
            writing = upTo;
        }

        synchronized void remember(SagaState<D> read) {
            if (read.version() > known) {
                known = read.version();
                state = read;
            }
        }

        /**
         * Next due at {@code at}, as decided on the saga at {@code version} without appending — unless it was woken
         * since {@code seen} or a writer of this engine settled a later version meanwhile (its due time stands).
         */
        synchronized void schedule(long seen, long version, Instant at) {
            if (wakes == seen && version >= known) due = at;
        }

        /** After a failed transition: due again at {@code at}, unless anything moved the saga since the claim. */
        synchronized void retryLater(long seen, Instant at) {
            if (wakes == seen && known == knownAtClaim) due = at;
        }

        /** The saga ended at {@code position}, as read at {@code version}, on the terms of {@link #schedule}. */
        synchronized void end(long seen, long version, Position position) {
            if (wakes == seen && version >= known) end = position;
        }

        /**
         * This engine appended up to {@code after} (ending at {@code position}); next due at {@code at} — unless it
         * was woken since {@code seen} (it stays due now) or a later append of this engine settled first.
         */
        synchronized void settle(long seen, SagaState<D> after, Position position, Instant at) {
            remember(after);
            writing = -1;
            if (wakes != seen || after.version() < known) return;
            if (after.status().inFlight()) {
                due = at;
            } else {
                end = position;
            }
        }

        synchronized boolean endedBefore(Position passed) {
            return !claimed && end != null && end.compareTo(passed) <= 0;
        }
    }

    /**
     * Appends a transition decided at {@code version}. If another engine got there first, a dead letter this
     * transition added for a park that did not happen is withdrawn (discarded), and the conflict is rethrown.
     */
    private AppendResult transition(String sagaId, ExpectedVersion version, List<SagaEvent> events) {
        try {
            return append(sagaId, version, events);
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

    private AppendResult append(String sagaId, ExpectedVersion expected, List<SagaEvent> events) {
        List<NewEvent> encoded = new ArrayList<>();
        for (SagaEvent event : events) {
            try {
                encoded.add(new NewEvent(event.getClass().getSimpleName(), mapper.writeValueAsString(event),
                        Metadata.create().withCorrelationId(sagaId)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("saga event " + event + " cannot be written as JSON: " + e.getMessage(), e);
            }
        }
        return store.append(StreamId.of(definition.name(), sagaId), expected, encoded);
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
