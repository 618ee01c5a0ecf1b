// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.store.EventStore;
import dev.factum.store.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one projection for {@link Projections}: the subscription of its active generation and, during a rebuild, the
 * subscription of the next generation plus a watcher thread that switches when the new one has caught up.
 *
 * <p>Durable state, all in the {@link CheckpointStore}: {@code <name>#g<n>} is generation n's checkpoint,
 * {@code <name>#active} holds the active generation number as its position, {@code <name>#rebuild} the number of the
 * generation being rebuilt (so a restart resumes the rebuild).
 */
final class ProjectionRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);
    private static final Position NEVER = new Position(Long.MAX_VALUE);

    private final Projection projection;
    private final EventStore store;
    private final CheckpointStore checkpoints;
    private final Projections.Options options;
    private final String name;

    private final ReentrantLock tickLock = new ReentrantLock();
    private final Condition tick = tickLock.newCondition();
    private long ticks;

    private volatile int active;
    private volatile Generation live;
    private volatile Generation rebuild;
    private volatile boolean running;
    private Thread watcher;

    /**
     * One generation: its subscription, the checkpoint it last committed (tracked here, so the watcher needs no
     * query), and the position through which its side effects are muted.
     */
    private final class Generation {
        final int number;
        final Subscription subscription;
        volatile Position committed;
        volatile Position mutedThrough;

        Generation(int number, Position mutedThrough) {
            this.number = number;
            this.mutedThrough = mutedThrough;
            this.committed = checkpoints.load(generationName(number)).orElse(Position.BEGINNING);
            SideEffects effects = new SideEffects(() -> this.mutedThrough);
            Subscription.Builder b = Subscription.builder(generationName(number), store, tracking(this))
                    .batchSize(options.batchSize()).pollInterval(options.pollInterval()).clock(options.clock())
                    .handler(batch -> projection.apply(batch,
                            new ProjectionContext(name, number, number != active, effects)));
            projection.category().ifPresent(b::category);
            options.deadLetters().ifPresent(store -> b.deadLetters(store, options.retry()));
            this.subscription = b.build();
        }
    }

    /** The checkpoint store, noting each commit of a generation and waking the watcher. */
    private CheckpointStore tracking(Generation generation) {
        return new CheckpointStore() {
            @Override
            public Optional<Position> load(String subscription) {
                return checkpoints.load(subscription);
            }

            @Override
            public void commit(Checkpoint checkpoint, TransactionalWork work) {
                checkpoints.commit(checkpoint, work);
                generation.committed = checkpoint.position();
                wakeWatcher();
            }

            @Override
            public void delete(String subscription) {
                checkpoints.delete(subscription);
            }
        };
    }

    ProjectionRunner(Projection projection, EventStore store, CheckpointStore checkpoints, Projections.Options options) {
        this.projection = projection;
        this.store = store;
        this.checkpoints = checkpoints;
        this.options = options;
        this.name = projection.name();
        this.active = (int) checkpoints.load(activeKey()).map(Position::value).orElse(1L).longValue();
    }

    String name() {
        return name;
    }

    int activeGeneration() {
        return active;
    }

    private String generationName(int generation) {
        return name + "#g" + generation;
    }

    private String activeKey() {
        return name + "#active";
    }

    private String rebuildKey() {
        return name + "#rebuild";
    }

    /** Starts the active generation (creating generation 1 the first time) and resumes a rebuild in progress. */
    synchronized void start() {
        if (running) { // restarts what failed or stopped
            live.subscription.start();
            if (rebuild != null) {
                rebuild.subscription.start();
                if (watcher == null || !watcher.isAlive()) startWatcher(rebuild);
            }
            return;
        }
        Optional<Position> stored = checkpoints.load(activeKey());
        if (stored.isEmpty()) {
            checkpoints.commit(new Checkpoint(activeKey(), Position.of(1)), tx -> projection.createGeneration(1, tx));
            active = 1;
        } else {
            active = (int) stored.get().value();
        }
        running = true;
        live = new Generation(active, Position.BEGINNING);
        live.subscription.start();
        Optional<Position> building = checkpoints.load(rebuildKey());
        if (building.isPresent() && building.get().value() > active) {
            startRebuild((int) building.get().value());
        } else if (building.isPresent()) {
            checkpoints.delete(rebuildKey());
        }
    }

    /** Stops the watcher and both generations' subscriptions; a rebuild in progress resumes on the next start. */
    void stop() {
        Thread w;
        synchronized (this) {
            if (!running) return;
            running = false;
            w = watcher;
            watcher = null;
        }
        wakeWatcher();
        if (w != null) {
            try {
                w.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Generation r = rebuild;
        if (r != null) r.subscription.stop();
        rebuild = null;
        live.subscription.stop();
    }

    /** Starts building the next generation, or returns the one already being built. */
    synchronized int rebuild() {
        if (!running) throw new IllegalStateException("projection " + name + " is not running: start it before a rebuild");
        if (rebuild != null) return rebuild.number;
        int next = (int) Math.max(active, checkpoints.load(rebuildKey()).map(Position::value).orElse(0L)) + 1;
        checkpoints.delete(generationName(next));
        checkpoints.commit(new Checkpoint(rebuildKey(), Position.of(next)), tx -> projection.createGeneration(next, tx));
        LOG.info("projection {}: rebuilding generation {} beside generation {}", name, next, active);
        startRebuild(next);
        return next;
    }

    private void startRebuild(int generation) {
        Generation r = new Generation(generation, NEVER);
        rebuild = r;
        r.subscription.start();
        startWatcher(r);
    }

    private void startWatcher(Generation r) {
        watcher = Thread.ofPlatform().daemon().name("factum-projection-" + name + "-rebuild").start(() -> watch(r));
    }

    /** Waits until the new generation shows at least what the active one shows, then switches. */
    private void watch(Generation r) {
        try {
            while (running) {
                long seen = ticksNow();
                SubscriptionStatus.State state = r.subscription.status().state();
                if (state != SubscriptionStatus.State.FAILED
                        && (state == SubscriptionStatus.State.LIVE || r.committed.compareTo(live.committed) >= 0)) {
                    if (switchTo(r)) return;
                }
                awaitTick(seen);
            }
        } catch (RuntimeException e) {
            LOG.error("projection {}: the switch to generation {} failed; it is retried on restart", name, r.number, e);
        }
    }

    /**
     * Switches to the rebuilt generation without a step back and without losing or doubling side effects: pauses the
     * new generation, lets the old one reach the same position and stops it, resumes the new one with its side
     * effects live after the old one's last position, waits until it has reached that position too, then records the
     * new active generation and drops the old read model. Queries read the old generation until the switch.
     */
    private boolean switchTo(Generation r) {
        r.subscription.stop();
        if (r.subscription.status().state() == SubscriptionStatus.State.FAILED) return false;
        Position reached = r.committed;
        Generation old = live;
        while (running && isRunning(old)) {
            long seen = ticksNow();
            if (old.committed.compareTo(reached) >= 0) break;
            awaitTick(seen);
        }
        if (!running) return true; // stop() in progress; the rebuild resumes on the next start
        old.subscription.stop();
        Position oldReached = old.committed;
        r.mutedThrough = oldReached;
        r.subscription.start();
        while (running && isRunning(r)) {
            long seen = ticksNow();
            if (r.committed.compareTo(oldReached) >= 0) break;
            awaitTick(seen);
        }
        if (!running) return true;
        if (!isRunning(r)) { // the new generation failed while catching up: keep the old one
            r.mutedThrough = NEVER;
            old.subscription.start();
            return false;
        }
        synchronized (this) {
            checkpoints.save(new Checkpoint(activeKey(), Position.of(r.number)));
            active = r.number;
            live = r;
            rebuild = null;
            checkpoints.delete(rebuildKey());
        }
        LOG.info("projection {}: switched to generation {} at position {}", name, r.number, oldReached);
        try {
            checkpoints.commit(new Checkpoint(generationName(old.number), oldReached),
                    tx -> projection.dropGeneration(old.number, tx));
            checkpoints.delete(generationName(old.number));
        } catch (RuntimeException e) {
            LOG.warn("projection {}: dropping generation {} failed; drop it by hand", name, old.number, e);
        }
        return true;
    }

    private static boolean isRunning(Generation g) {
        SubscriptionStatus.State s = g.subscription.status().state();
        return s == SubscriptionStatus.State.CATCHING_UP || s == SubscriptionStatus.State.LIVE;
    }

    ProjectionStatus status() {
        Generation l = live;
        Generation r = rebuild;
        if (l == null) {
            Position cp = checkpoints.load(generationName(active)).orElse(Position.BEGINNING);
            long lagEvents = Math.max(0, store.headPosition().value() - cp.value());
            return new ProjectionStatus(name, active, ProjectionStatus.State.STOPPED, cp, lagEvents, Duration.ZERO,
                    Optional.empty(), Optional.empty());
        }
        SubscriptionStatus ls = l.subscription.status();
        Optional<ProjectionStatus.Rebuild> progress = Optional.empty();
        Optional<String> error = ls.error();
        ProjectionStatus.State state = switch (ls.state()) {
            case STOPPED -> ProjectionStatus.State.STOPPED;
            case CATCHING_UP -> ProjectionStatus.State.CATCHING_UP;
            case LIVE -> ProjectionStatus.State.LIVE;
            case FAILED -> ProjectionStatus.State.FAILED;
        };
        if (r != null && running) {
            SubscriptionStatus rs = r.subscription.status();
            progress = Optional.of(new ProjectionStatus.Rebuild(r.number, rs.checkpoint(), store.headPosition()));
            if (state != ProjectionStatus.State.FAILED) {
                state = ProjectionStatus.State.REBUILDING;
                if (rs.state() == SubscriptionStatus.State.FAILED) {
                    state = ProjectionStatus.State.FAILED;
                    error = rs.error().map(e -> "rebuild of generation " + r.number + " failed: " + e);
                }
            }
        }
        return new ProjectionStatus(name, l.number, state, ls.checkpoint(), ls.lagEvents(), ls.lag(), error, progress);
    }

    /** Waits until the active generation has committed {@code position}, at most {@code timeout}. */
    boolean awaitCheckpoint(Position position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        tickLock.lock();
        try {
            while (true) {
                Generation l = live;
                if (l != null && l.committed.compareTo(position) >= 0) return true;
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                tick.awaitNanos(Math.min(left, options.pollInterval().toNanos()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            tickLock.unlock();
        }
    }

    private void wakeWatcher() {
        tickLock.lock();
        try {
            ticks++;
            tick.signalAll();
        } finally {
            tickLock.unlock();
        }
    }

    private long ticksNow() {
        tickLock.lock();
        try {
            return ticks;
        } finally {
            tickLock.unlock();
        }
    }

    private void awaitTick(long seen) {
        tickLock.lock();
        try {
            long nanos = options.pollInterval().toNanos();
            while (running && ticks == seen && nanos > 0) nanos = tick.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tickLock.unlock();
        }
    }
}
