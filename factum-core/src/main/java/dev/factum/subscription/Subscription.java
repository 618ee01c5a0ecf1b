// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.DeadLetters;
import dev.factum.retry.Failures;
import dev.factum.retry.RetryPolicy;
import dev.factum.retry.Sleeper;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.UUID;

import dev.factum.event.RecordedEvent;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A reader of the global order that catches up from its {@link Checkpoint}, then follows live, handing batches to its
 * {@link SubscriptionHandler} in position order, optionally of one category only. Every committed event is delivered
 * exactly once per checkpoint: the checkpoint moves only in the transaction of the batch that reached it.
 *
 * <p>Wake-up: the store's {@link EventStore#onCommit} signal wakes the subscription as soon as events are committed
 * (in-process on memory and SQLite, LISTEN/NOTIFY on PostgreSQL); polling every {@code pollInterval} is the safety
 * net for a lost signal. A handler that throws stops only this subscription: its state becomes
 * {@link SubscriptionStatus.State#FAILED} with the error, the checkpoint stays before the failed batch, and
 * {@link #start()} resumes there — unless {@link Builder#deadLetters dead letters} are on: then the batch's events are
 * retried one by one and one that keeps failing is parked as a dead letter while the subscription goes on.
 *
 * <p>Runs on one platform thread of its own, named {@code factum-subscription-<name>}.
 *
 * @since 0.1
 */
public final class Subscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    private final String name;
    private final EventStore store;
    private final CheckpointStore checkpoints;
    private final SubscriptionHandler handler;
    private final Optional<String> category;
    private final int batchSize;
    private final Duration pollInterval;
    private final SubscriptionMetrics metrics;
    private final Clock clock;
    private final Optional<DeadLetterStore> deadLetters;
    private final RetryPolicy retry;
    private final Sleeper sleeper;

    private final ReentrantLock lock = new ReentrantLock();
    /** Held while a batch or a replay is handled and its checkpoint committed, so a replay never moves it back. */
    private final ReentrantLock handling = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private long signals;
    private final AtomicReference<AutoCloseable> registration = new AtomicReference<>();
    private Thread thread;
    private volatile boolean running;
    private volatile SubscriptionStatus.State state = SubscriptionStatus.State.STOPPED;
    private volatile Position checkpoint = Position.BEGINNING;
    private volatile Instant lastHandledRecordedAt;
    private volatile Optional<String> error = Optional.empty();

    private Subscription(Builder b) {
        this.name = b.name;
        this.store = b.store;
        this.checkpoints = b.checkpoints;
        this.handler = Objects.requireNonNull(b.handler, "handler is missing: call Builder.handler(...)");
        this.category = b.category;
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.deadLetters = b.deadLetters;
        this.retry = b.retry;
        this.sleeper = b.sleeper;
    }

    public static Builder builder(String name, EventStore store, CheckpointStore checkpoints) {
        return new Builder(name, store, checkpoints);
    }

    public String name() {
        return name;
    }

    /** Starts reading from the stored checkpoint (or the beginning). Starting a running subscription does nothing. */
    public synchronized void start() {
        if (running) return;
        running = true;
        error = Optional.empty();
        checkpoint = checkpoints.load(name).orElse(Position.BEGINNING);
        state = SubscriptionStatus.State.CATCHING_UP;
        registration.set(store.onCommit(this::wake));
        thread = Thread.ofPlatform().name("factum-subscription-" + name).daemon().start(this::run);
    }

    /** Stops after the batch in hand (its checkpoint committed) and waits for the thread to end. */
    public synchronized void stop() {
        running = false;
        wake();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
        closeRegistration();
        if (state != SubscriptionStatus.State.FAILED) state = SubscriptionStatus.State.STOPPED;
    }

    @Override
    public void close() {
        stop();
    }

    /** The checkpoint the subscription has committed, its lag and its state. */
    public SubscriptionStatus status() {
        Position cp = checkpoint;
        long lagEvents;
        try {
            lagEvents = Math.max(0, store.headPosition().value() - cp.value());
        } catch (RuntimeException e) {
            lagEvents = -1;
        }
        Duration lag = Duration.ZERO;
        Instant last = lastHandledRecordedAt;
        if (lagEvents > 0 && last != null) lag = Duration.between(last, clock.instant());
        if (lag.isNegative()) lag = Duration.ZERO;
        return new SubscriptionStatus(name, state, cp, lagEvents, lag, error);
    }

    private void wake() {
        lock.lock();
        try {
            signals++;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A read in flight: what it reads, the wake-up signals counted before it started, and its result. */
    private record Read(ReadAllOptions options, long signalsBefore, CompletableFuture<List<RecordedEvent>> events) {
    }

    private Read startRead(ReadAllOptions options, boolean ahead) {
        long before = signalsNow();
        if (!ahead) {
            CompletableFuture<List<RecordedEvent>> now = new CompletableFuture<>();
            try {
                now.complete(store.readAll(options));
            } catch (RuntimeException e) {
                now.completeExceptionally(e);
            }
            return new Read(options, before, now);
        }
        return new Read(options, before, CompletableFuture.supplyAsync(() -> store.readAll(options),
                task -> Thread.ofVirtual().name("factum-subscription-" + name + "-read-ahead").start(task)));
    }

    /**
     * Reads, hands each batch to the handler in the checkpoint's transaction, repeats. While catching up (the last
     * read filled a whole batch), the next batch is read ahead during the handler and the checkpoint commit of the
     * current one, so the store's work overlaps ours; the read-ahead starts after the current batch's last position,
     * so it changes nothing of what is delivered or in which order.
     */
    private void run() {
        ReadAllOptions first = ReadAllOptions.after(checkpoint).limit(batchSize);
        if (category.isPresent()) first = first.category(category.get());
        Read read = startRead(first, false);
        while (running) {
            List<RecordedEvent> events;
            try {
                events = read.events().join();
            } catch (CompletionException | CancellationException e) {
                if (!running) break;
                LOG.warn("subscription {} cannot read the store; retrying in {}", name, pollInterval, e.getCause());
                await(read.signalsBefore());
                read = startRead(read.options(), false);
                continue;
            }
            if (events.isEmpty()) {
                state = SubscriptionStatus.State.LIVE;
                await(read.signalsBefore());
                read = startRead(read.options(), false);
                continue;
            }
            state = SubscriptionStatus.State.CATCHING_UP;
            long started = System.nanoTime();
            Position last = events.get(events.size() - 1).position();
            ReadAllOptions next = new ReadAllOptions(last, batchSize, read.options().category());
            Read ahead = events.size() == batchSize ? startRead(next, true) : null;
            handling.lock();
            try {
                checkpoints.commit(new Checkpoint(name, last), tx -> handler.handle(new EventBatch(name, events, tx)));
            } catch (Throwable t) {
                if (deadLetters.isEmpty()) {
                    if (ahead != null) ahead.events().cancel(false);
                    fail(t, events);
                    return;
                }
                try {
                    isolate(events);
                } catch (Throwable fatal) {
                    if (ahead != null) ahead.events().cancel(false);
                    fail(fatal, events);
                    return;
                }
            } finally {
                handling.unlock();
            }
            checkpoint = last;
            lastHandledRecordedAt = events.get(events.size() - 1).recordedAt();
            if (metrics != SubscriptionMetrics.NONE) { // status() asks the store for its head: only when someone listens
                metrics.batchHandled(name, events.size(), Duration.ofNanos(System.nanoTime() - started), status());
            }
            read = ahead != null ? ahead : startRead(next, false);
        }
        if (state != SubscriptionStatus.State.FAILED) state = SubscriptionStatus.State.STOPPED;
    }

    /**
     * The batch failed and dead letters are on: handles its events one at a time, each retried by the policy; an
     * event that still fails is parked as a {@link DeadLetter} of this subscription (id derived from the subscription
     * and the event, so a crash before the checkpoint parks it once) and the checkpoint moves past it.
     */
    private void isolate(List<RecordedEvent> events) throws InterruptedException {
        for (RecordedEvent event : events) {
            List<Attempt> attempts = new ArrayList<>();
            while (true) {
                try {
                    checkpoints.commit(new Checkpoint(name, event.position()),
                            tx -> handler.handle(new EventBatch(name, List.of(event), tx)));
                    break;
                } catch (Exception e) {
                    attempts.add(new Attempt(attempts.size() + 1, clock.instant(), Failures.reason(e)));
                    Optional<Duration> wait = retry.delayAfter(attempts.size());
                    if (wait.isEmpty()) {
                        park(event, e, attempts);
                        break;
                    }
                    sleeper.sleep(wait.get());
                }
            }
            checkpoint = event.position();
            lastHandledRecordedAt = event.recordedAt();
        }
    }

    private void park(RecordedEvent event, Exception error, List<Attempt> attempts) {
        Message message = Message.of(event);
        DeadLetter parked = DeadLetter.park(name, MessageHeaders.encode(message), message.body(), error, attempts,
                clock.instant());
        UUID id = UUID.nameUUIDFromBytes((name + "\n" + event.eventId()).getBytes(StandardCharsets.UTF_8));
        deadLetters.orElseThrow().add(new DeadLetter(id, parked.consumer(), parked.headers(), parked.body(),
                parked.reason(), parked.stackSummary(), parked.attempts(), parked.deadAt(), parked.state(),
                parked.resolution(), parked.resolvedAt()));
        checkpoints.save(new Checkpoint(name, event.position()));
        LOG.warn("subscription {}: event {} at position {} failed {} time(s) and is parked as dead letter {}: {}",
                name, event.eventId(), event.position(), attempts.size(), id, Failures.reason(error));
    }

    /**
     * Hands the stored event of {@code message} (found by its position) to the handler once more, in a transaction
     * that keeps the current checkpoint — how a dead letter of this subscription is replayed
     * ({@link #registerReplay}). Throws what the handler throws.
     */
    public void replay(Message message) throws Exception {
        Position at = Position.of(message.position());
        List<RecordedEvent> found = store.readAll(ReadAllOptions.after(Position.of(at.value() - 1)).limit(1));
        if (found.isEmpty() || !found.getFirst().eventId().equals(message.messageId())) {
            throw new IllegalStateException("the store has no event " + message.messageId() + " at position " + at);
        }
        handling.lock();
        try {
            checkpoints.commit(new Checkpoint(name, checkpoint),
                    tx -> handler.handle(new EventBatch(name, found, tx)));
        } finally {
            handling.unlock();
        }
    }

    /** Lets this subscription's dead letters be replayed through {@code operations} ({@link #replay}). */
    public Subscription registerReplay(DeadLetters operations) {
        operations.register(name, this::replay);
        return this;
    }

    private void fail(Throwable t, List<RecordedEvent> events) {
        String message = t.getClass().getSimpleName() + ": " + t.getMessage();
        LOG.error("subscription {} stopped: its handler failed on the batch at positions {}..{}; checkpoint stays at {}",
                name, events.get(0).position(), events.get(events.size() - 1).position(), checkpoint, t);
        error = Optional.of(message);
        state = SubscriptionStatus.State.FAILED;
        running = false;
        closeRegistration();
        metrics.failed(name, t);
    }

    private long signalsNow() {
        lock.lock();
        try {
            return signals;
        } finally {
            lock.unlock();
        }
    }

    private void await(long seen) {
        lock.lock();
        try {
            long nanos = pollInterval.toNanos();
            while (running && signals == seen && nanos > 0) nanos = signal.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void closeRegistration() {
        AutoCloseable callback = registration.getAndSet(null);
        if (callback == null) return;
        try {
            callback.close();
        } catch (Exception e) {
            LOG.debug("closing the commit callback of {} failed", name, e);
        }
    }

    /** Options of a subscription; only the handler is required. */
    public static final class Builder {
        private final String name;
        private final EventStore store;
        private final CheckpointStore checkpoints;
        private SubscriptionHandler handler;
        private Optional<String> category = Optional.empty();
        private int batchSize = 500;
        private Duration pollInterval = Duration.ofSeconds(1);
        private SubscriptionMetrics metrics = SubscriptionMetrics.NONE;
        private Clock clock = Clock.systemUTC();
        private Optional<DeadLetterStore> deadLetters = Optional.empty();
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder(String name, EventStore store, CheckpointStore checkpoints) {
            Checkpoint.requireName(name);
            this.name = name;
            this.store = Objects.requireNonNull(store, "store");
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        }

        public Builder handler(SubscriptionHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Only events of streams of this category. */
        public Builder category(String category) {
            this.category = Optional.of(category);
            ReadAllOptions.fromStart().category(category); // validates
            return this;
        }

        /** Most events per batch (and per checkpoint transaction); default 500. */
        public Builder batchSize(int size) {
            if (size < 1) throw new IllegalArgumentException("batch size must be >= 1, was " + size);
            this.batchSize = size;
            return this;
        }

        /** How often to look for events when no commit signal arrives; default 1 s. */
        public Builder pollInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("poll interval must be positive");
            this.pollInterval = interval;
            return this;
        }

        public Builder metrics(SubscriptionMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Instead of stopping on a failing batch: retry each of its events by {@code policy} and park one that keeps
         * failing as a {@link DeadLetter} in {@code store} (consumer: the subscription's name), then go on — a poison
         * event no longer stops the subscription. Off by default: a read model that must see every event in order may
         * prefer to stop.
         */
        public Builder deadLetters(DeadLetterStore store, RetryPolicy policy) {
            this.deadLetters = Optional.of(Objects.requireNonNull(store, "store"));
            this.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** How to wait between retries of a failing event (default: sleep; tests pass a recording one). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public Subscription build() {
            return new Subscription(this);
        }
    }
}
