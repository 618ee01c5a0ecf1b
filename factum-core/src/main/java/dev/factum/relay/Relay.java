// SPDX-License-Identifier: Apache-2.0
package dev.factum.relay;

import dev.factum.FactumException;
import dev.factum.event.RecordedEvent;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.DeadLetters;
import dev.factum.retry.Attempt;
import dev.factum.retry.Failures;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;
import dev.factum.transport.Binding;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHeaders;
import dev.factum.transport.PublishException;
import dev.factum.transport.Transport;
import dev.factum.transport.internal.StoreFollower;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transactional outbox without an outbox table: a subscription that forwards stored events to a
 * {@link Transport} and moves its checkpoint only after the broker confirmed them. Events are committed once, in the
 * store; the relay publishes by reading them, so no process can die between "saved" and "published" and lose a
 * message.
 *
 * <ul>
 *   <li><b>At least once.</b> The checkpoint ({@code relay:<name>}) is saved after {@link Transport#publish}
 *       returned, i.e. after every message of the batch was confirmed. A crash before that sends the batch again
 *       from the checkpoint: consumers see duplicates, which their {@link dev.factum.inbox.Inbox} absorbs. A failed,
 *       timed-out or expired send is never counted as sent: the relay waits {@code retryDelay} and sends again from
 *       the checkpoint, as long as it takes.</li>
 *   <li><b>Ordering.</b> Messages go out in global position order, so in order per stream; only one process sends for
 *       a relay name at a time: the holder of the lease {@code relay:<name>} in the {@link LeaseStore}, renewed on
 *       every batch. (A holder stalled past its lease's expiry may overlap with its successor for one batch: more
 *       duplicates, never a loss.)</li>
 *   <li><b>Poison.</b> A message the broker refuses for good ({@link PublishException#refused}) becomes a dead letter
 *       of consumer {@code relay:<name>} and the others go on; replaying it publishes it again.</li>
 * </ul>
 *
 * @since 0.1
 */
public final class Relay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final String name;
    private final EventStore store;
    private final CheckpointStore checkpoints;
    private final Transport transport;
    private final List<Binding> bindings;
    private final LeaseStore leases;
    private final Duration leaseTtl;
    private final DeadLetterStore deadLetters;
    private final Clock clock;
    private final String owner = UUID.randomUUID().toString();
    private final StoreFollower follower;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile boolean leaseHolder;
    /** When this process last took or renewed the lease (its own clock); see {@link #forward}. */
    private volatile long leaseRenewedNanos;
    private volatile Thread renewer;

    private Relay(Builder b) {
        this.name = b.name;
        this.store = b.store;
        this.checkpoints = b.checkpoints;
        this.transport = b.transport;
        this.bindings = List.copyOf(b.bindings);
        this.leases = b.leases;
        this.leaseTtl = b.leaseTtl;
        this.deadLetters = b.deadLetters;
        this.clock = b.clock;
        this.follower = new StoreFollower(checkpointName(), store, Optional.empty(), b.batchSize, b.pollInterval,
                b.retryDelay, this::acquireAndLoadCheckpoint, this::forward);
    }

    /** A relay named {@code name} from {@code store} to {@code transport}. */
    public static Builder builder(String name, EventStore store, CheckpointStore checkpoints, Transport transport) {
        return new Builder(name, store, checkpoints, transport);
    }

    public String name() {
        return name;
    }

    /** The consumer name of this relay's dead letters: {@code relay:<name>}. */
    public String consumerName() {
        return "relay:" + name;
    }

    private String checkpointName() {
        return "relay:" + name;
    }

    /** Starts forwarding on a virtual thread. */
    public Relay start() {
        follower.start();
        renewer = Thread.ofVirtual().name("factum-relay-lease-" + name).start(this::renewWhileRunning);
        return this;
    }

    /** Lets this relay's dead letters be replayed: each is published again through the transport. */
    public Relay registerReplay(DeadLetters operations) {
        operations.register(consumerName(), message -> transport.publish(List.of(message)));
        return this;
    }

    public RelayStatus status() {
        long checkpoint = checkpoints.load(checkpointName()).orElse(Position.BEGINNING).value();
        return new RelayStatus(name, transport.name(), follower.running(), leaseHolder, checkpoint,
                store.headPosition().value(), published.get(), deadLettered.get(), follower.lastError());
    }

    /** Before reading: hold the lease (a standby process stops here), then continue after the checkpoint. */
    private Position acquireAndLoadCheckpoint() {
        holdLease();
        return checkpoints.load(checkpointName()).orElse(Position.BEGINNING);
    }

    private void holdLease() {
        if (!leases.tryAcquire(checkpointName(), owner, leaseTtl)) {
            leaseHolder = false;
            throw new LeaseHeldElsewhereException(name, leases.current(checkpointName()));
        }
        leaseHolder = true;
        leaseRenewedNanos = System.nanoTime();
    }

    /** Renews the lease while the relay waits for events, so an idle holder keeps it. */
    private void renewWhileRunning() {
        Duration every = leaseTtl.dividedBy(3);
        while (follower.running()) {
            try {
                Thread.sleep(every);
                if (leaseHolder && follower.running()) holdLease();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.debug("relay {}: renewing the lease failed: {}", name, e.getMessage());
            }
        }
    }

    private Position forward(List<RecordedEvent> events) {
        // renew in the store only when a third of the lease's time has passed since the last renewal: a store write
        // per batch costs as much as the publish itself on a fast broker, and the lease stays valid for two more thirds
        if (!leaseHolder || System.nanoTime() - leaseRenewedNanos >= leaseTtl.toNanos() / 3) holdLease();
        List<Message> batch = new ArrayList<>(events.size());
        for (RecordedEvent event : events) {
            Message message = Message.of(event);
            if (matches(message)) batch.add(message);
        }
        publishAll(batch);
        Position last = events.get(events.size() - 1).position();
        checkpoints.save(new Checkpoint(checkpointName(), last));
        return last;
    }

    private void publishAll(List<Message> batch) {
        List<Message> pending = new ArrayList<>(batch);
        while (!pending.isEmpty()) {
            try {
                transport.publish(List.copyOf(pending));
                published.addAndGet(pending.size());
                return;
            } catch (PublishException e) {
                Optional<UUID> refused = e.messageId();
                if (e.retryable() || refused.isEmpty()) throw e;
                Message poison = pending.stream().filter(m -> m.messageId().equals(refused.get())).findFirst()
                        .orElseThrow(() -> e);
                log.warn("relay {}: the broker refuses message {} ({} {}) for good: {}; parked as a dead letter",
                        name, poison.messageId(), poison.type(), poison.stream(), e.getMessage());
                deadLetters.add(DeadLetter.park(consumerName(), MessageHeaders.encode(poison), poison.body(), e,
                        List.of(new Attempt(1, clock.instant(), Failures.reason(e))), clock.instant()));
                deadLettered.incrementAndGet();
                pending.remove(poison);
            }
        }
    }

    private boolean matches(Message message) {
        if (bindings.isEmpty()) return true;
        String key = message.routingKey();
        for (Binding binding : bindings) {
            if (binding.matches(key)) return true;
        }
        return false;
    }

    /** Stops forwarding and gives the lease up. */
    @Override
    public void close() {
        follower.close();
        Thread lease = renewer;
        if (lease != null) lease.interrupt();
        leases.release(checkpointName(), owner);
        leaseHolder = false;
    }

    /** Another process holds the relay's lease; this one waits and tries again. */
    public static final class LeaseHeldElsewhereException extends FactumException
            implements StoreFollower.ExpectedFailure {
        LeaseHeldElsewhereException(String relay, Optional<Lease> lease) {
            super("relay " + relay + " runs in another process" + lease.map(l -> " (lease held by " + l.owner()
                    + " until " + l.expiresAt() + ")").orElse("") + "; standing by");
        }
    }

    /** Configures a {@link Relay}. */
    public static final class Builder {
        private final String name;
        private final EventStore store;
        private final CheckpointStore checkpoints;
        private final Transport transport;
        private final List<Binding> bindings = new ArrayList<>();
        private LeaseStore leases = new InMemoryLeaseStore();
        private Duration leaseTtl = Duration.ofSeconds(30);
        private DeadLetterStore deadLetters = new dev.factum.retry.InMemoryDeadLetterStore();
        private Clock clock = Clock.systemUTC();
        private int batchSize = 500;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration retryDelay = Duration.ofSeconds(1);

        private Builder(String name, EventStore store, CheckpointStore checkpoints, Transport transport) {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}")) {
                throw new IllegalArgumentException("relay name '" + name + "' must be 1-100 letters, digits, '.', '_' or '-'");
            }
            this.name = name;
            this.store = Objects.requireNonNull(store, "store");
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        /** Forward only events whose {@code Category.EventType} matches one of the patterns (default: every event). */
        public Builder bindings(String... patterns) {
            for (String pattern : patterns) bindings.add(Binding.of(pattern));
            return this;
        }

        /** The lease store that keeps two processes from running this relay at once, and the lease's time to live. */
        public Builder lease(LeaseStore store, Duration ttl) {
            this.leases = Objects.requireNonNull(store, "store");
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("lease ttl must be >= 1 s");
            this.leaseTtl = ttl;
            return this;
        }

        /** Where messages the broker refuses for good are parked (default: in memory). */
        public Builder deadLetters(DeadLetterStore store) {
            this.deadLetters = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Events read and published per batch (1–10,000; default 500). */
        public Builder batchSize(int size) {
            if (size < 1 || size > 10_000) throw new IllegalArgumentException("batch size must be 1-10000, was " + size);
            this.batchSize = size;
            return this;
        }

        /** How long to wait for new events when no commit signal arrives (default 1 s). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** The wait before sending again after a failed publish (default 1 s). */
        public Builder retryDelay(Duration delay) {
            this.retryDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Relay build() {
            return new Relay(this);
        }
    }
}
