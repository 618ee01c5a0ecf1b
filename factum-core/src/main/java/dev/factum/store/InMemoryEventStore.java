// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.internal.AppendPlanner;
import dev.factum.store.internal.AppendRequest;
import dev.factum.store.internal.AppendValidation;
import dev.factum.store.internal.StoredEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The reference store, held in memory: for tests, fixtures and the conformance suite — never for data that must
 * survive the process. Appends are serialized by a lock, so positions are committed in order and readers can never
 * see a gap. Same validation, idempotency and errors as the durable stores.
 *
 * @since 0.1
 */
public final class InMemoryEventStore implements EventStore {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryEventStore.class);
    private final StoreLimits limits;
    private final Clock clock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<RecordedEvent> all = new ArrayList<>();
    private final Map<StreamId, List<RecordedEvent>> streams = new HashMap<>();
    private final Map<UUID, RecordedEvent> byId = new HashMap<>();
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public InMemoryEventStore() {
        this(StoreLimits.DEFAULT, Clock.systemUTC());
    }

    public InMemoryEventStore(StoreLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        AppendRequest request = AppendValidation.validate(stream, expected, events, limits);
        AppendPlanner.Outcome outcome;
        lock.writeLock().lock();
        try {
            checkOpen();
            Map<UUID, StoredEvent> existing = new HashMap<>();
            for (NewEvent event : events) {
                RecordedEvent stored = byId.get(event.eventId());
                if (stored != null) existing.put(stored.eventId(), toStored(stored));
            }
            AppendPlanner planner = new AppendPlanner(Map.of(stream, (long) streamEvents(stream).size()), existing,
                    Position.of(all.size()));
            outcome = planner.plan(List.of(request)).get(0);
            if (outcome instanceof AppendPlanner.Write write) {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                for (StoredEvent row : write.events()) {
                    RecordedEvent recorded = new RecordedEvent(row.stream(), row.version(), row.position(),
                            row.event().type(), row.event().data(), row.event().metadata(), now);
                    all.add(recorded);
                    streams.computeIfAbsent(stream, s -> new ArrayList<>()).add(recorded);
                    byId.put(recorded.eventId(), recorded);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        AppendResult result = outcome.resultOrThrow();
        if (outcome instanceof AppendPlanner.Write) signal();
        return result;
    }

    @Override
    public List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options) {
        lock.readLock().lock();
        try {
            checkOpen();
            List<RecordedEvent> events = streamEvents(stream);
            List<RecordedEvent> out = new ArrayList<>();
            if (options.direction() == ReadStreamOptions.Direction.FORWARD) {
                for (long v = options.fromVersion(); v <= events.size() && out.size() < options.limit(); v++) {
                    out.add(events.get((int) v - 1));
                }
            } else {
                for (long v = Math.min(options.fromVersion(), events.size()); v >= 1 && out.size() < options.limit(); v--) {
                    out.add(events.get((int) v - 1));
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<RecordedEvent> readAll(ReadAllOptions options) {
        lock.readLock().lock();
        try {
            checkOpen();
            List<RecordedEvent> out = new ArrayList<>();
            for (long p = options.after().value() + 1; p <= all.size() && out.size() < options.limit(); p++) {
                RecordedEvent event = all.get((int) p - 1);
                if (options.category().isEmpty() || options.category().get().equals(event.stream().category())) out.add(event);
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long streamVersion(StreamId stream) {
        lock.readLock().lock();
        try {
            checkOpen();
            return streamEvents(stream).size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Position headPosition() {
        lock.readLock().lock();
        try {
            checkOpen();
            return Position.of(all.size());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StoreStatistics statistics() {
        lock.readLock().lock();
        try {
            checkOpen();
            Map<String, Long> byCategory = new TreeMap<>();
            all.forEach(e -> byCategory.merge(e.stream().category(), 1L, Long::sum));
            return new StoreStatistics(all.size(), streams.size(), Position.of(all.size()),
                    Collections.unmodifiableMap(byCategory), "in-memory");
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public AutoCloseable onCommit(Runnable callback) {
        callbacks.add(callback);
        return () -> callbacks.remove(callback);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Runs the commit callbacks; one that throws is logged and neither fails the committed append nor the others. */
    private void signal() {
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.warn("in-memory event store: an onCommit callback failed", e);
            }
        }
    }

    private List<RecordedEvent> streamEvents(StreamId stream) {
        return streams.getOrDefault(stream, List.of());
    }

    private void checkOpen() {
        if (closed) throw new StoreClosedException("in-memory event store");
    }

    private static StoredEvent toStored(RecordedEvent e) {
        return new StoredEvent(e.stream(), e.version(), e.position(), new NewEvent(e.type(), e.data(), e.metadata()));
    }
}
