// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.store.EventStore;
import dev.factum.store.Position;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a set of {@link Projection}s over one store: starts and stops them, reports their {@link ProjectionStatus},
 * rebuilds them without downtime and says which generation of each read model queries should read.
 *
 * <p><b>Rebuild (blue/green).</b> {@link #rebuild(String)} creates generation n+1 (via
 * {@link Projection#createGeneration}) and builds it from position 0 with its own subscription and checkpoint,
 * beside generation n, which stays active and keeps answering queries. Side effects of the new generation are muted.
 * When it shows at least what the active one shows, it is paused, the active one is let reach the same position and
 * stopped, the new generation becomes the active one (stored durably), resumes with its side effects live after the
 * old generation's last position, and the old read model is dropped (via {@link Projection#dropGeneration}).
 *
 * <p><b>Durable state.</b> Everything lives in the {@link CheckpointStore}, under reserved names:
 * {@code <name>#g<n>} is generation n's checkpoint, {@code <name>#active} stores the active generation as its
 * position value, and {@code <name>#rebuild} the generation being built, so a restart resumes a rebuild. Projection
 * names therefore may not contain {@code '#'}.
 *
 * <p>A failing projection stops alone ({@link ProjectionStatus.State#FAILED}, with the error); {@link #start()}
 * restarts it from its checkpoint. Each generation runs on its own thread (see {@link Subscription}).
 *
 * @since 0.1
 */
public final class Projections implements AutoCloseable {
    private final Map<String, ProjectionRunner> runners;

    private Projections(Builder b) {
        Map<String, ProjectionRunner> map = new LinkedHashMap<>();
        Options options = new Options(b.batchSize, b.pollInterval, b.clock, b.deadLetters, b.retry);
        for (Projection p : b.projections) map.put(p.name(), new ProjectionRunner(p, b.store, b.checkpoints, options));
        this.runners = map;
    }

    public static Builder builder(EventStore store, CheckpointStore checkpoints) {
        return new Builder(store, checkpoints);
    }

    /** Starts every projection (resuming rebuilds in progress); restarts failed ones. */
    public void start() {
        runners.values().forEach(ProjectionRunner::start);
    }

    /** Stops every projection after its batch in hand. */
    public void stop() {
        runners.values().forEach(ProjectionRunner::stop);
    }

    @Override
    public void close() {
        stop();
    }

    /** Names of the projections, in registration order. */
    public List<String> names() {
        return List.copyOf(runners.keySet());
    }

    /** The status of each projection, in registration order. */
    public List<ProjectionStatus> statuses() {
        return runners.values().stream().map(ProjectionRunner::status).toList();
    }

    /** One projection's status; {@link NoSuchElementException} for an unknown name. */
    public ProjectionStatus status(String name) {
        return runner(name).status();
    }

    /**
     * The generation whose read model queries should read: it changes only when a rebuild switches, after the new
     * generation has caught up.
     */
    public int activeGeneration(String name) {
        return runner(name).activeGeneration();
    }

    /**
     * Starts a rebuild of the projection beside its active generation and returns the generation being built; if one
     * is already in progress, returns it. Progress shows in {@link #status(String)}. Throws
     * {@link IllegalStateException} if the projections are not started.
     */
    public int rebuild(String name) {
        return runner(name).rebuild();
    }

    /**
     * Waits, at most {@code timeout}, until the projection's active read model shows the event at {@code position}
     * (its checkpoint has reached it): read-your-writes for a query after a command, given the position of the
     * command's last event. Returns false on timeout. The position should be of an event the projection handles
     * (of its category, if it has one); otherwise it is reached only when a later event of the category is handled.
     */
    public boolean awaitCheckpoint(String name, Position position, Duration timeout) {
        Objects.requireNonNull(position, "position");
        if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative");
        return runner(name).awaitCheckpoint(position, timeout);
    }

    private ProjectionRunner runner(String name) {
        ProjectionRunner r = runners.get(name);
        if (r == null) throw new NoSuchElementException("no projection named " + name + "; known: " + runners.keySet());
        return r;
    }

    /** Settings shared by the projections' subscriptions. */
    record Options(int batchSize, Duration pollInterval, Clock clock,
                   Optional<dev.factum.retry.DeadLetterStore> deadLetters, dev.factum.retry.RetryPolicy retry) {
    }

    /**
     * Projections to run and how; all settings are optional.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final EventStore store;
        private final CheckpointStore checkpoints;
        private final List<Projection> projections = new ArrayList<>();
        private int batchSize = 500;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Clock clock = Clock.systemUTC();
        private Optional<dev.factum.retry.DeadLetterStore> deadLetters = Optional.empty();
        private dev.factum.retry.RetryPolicy retry = dev.factum.retry.RetryPolicy.DEFAULT;

        private Builder(EventStore store, CheckpointStore checkpoints) {
            this.store = Objects.requireNonNull(store, "store");
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        }

        /** Adds a projection; names must be unique, non-blank, at most 180 characters and free of {@code '#'}. */
        public Builder add(Projection projection) {
            String name = Objects.requireNonNull(projection, "projection").name();
            if (name == null || name.isBlank()) throw new IllegalArgumentException("projection name is blank");
            if (name.length() > 180) throw new IllegalArgumentException("projection name is longer than 180 characters");
            if (name.contains("#")) throw new IllegalArgumentException("projection name contains '#': " + name);
            if (projections.stream().anyMatch(p -> p.name().equals(name))) {
                throw new IllegalArgumentException("two projections are named " + name);
            }
            projections.add(projection);
            return this;
        }

        /** Most events per batch (and per transaction); default 500. */
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

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Instead of stopping a projection on an event its {@code apply} keeps failing on: retry it by {@code policy},
         * then park it as a dead letter (consumer: the generation's subscription, {@code <name>#g<n>}) and go on. The
         * read model then lacks that event's effect until it is rebuilt with the fix; off by default.
         */
        public Builder deadLetters(dev.factum.retry.DeadLetterStore store, dev.factum.retry.RetryPolicy policy) {
            this.deadLetters = Optional.of(Objects.requireNonNull(store, "store"));
            this.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Projections build() {
            return new Projections(this);
        }
    }
}
