// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreStatistics;
import dev.factum.store.StreamId;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An {@link InMemoryEventStore} that counts the stream events it hands out, and that can let a competing writer
 * append first, deterministically, just before the next appends.
 */
final class CountingEventStore implements EventStore {
    final InMemoryEventStore delegate = new InMemoryEventStore();
    final AtomicLong eventsRead = new AtomicLong();
    final AtomicLong lastFromVersion = new AtomicLong();
    private final AtomicInteger competingAppends = new AtomicInteger();
    private volatile Supplier<NewEvent> competingEvent;

    /** Before each of the next {@code times} appends, another writer appends {@code event} to the same stream. */
    void competeBeforeNextAppends(int times, Supplier<NewEvent> event) {
        this.competingEvent = event;
        competingAppends.set(times);
    }

    void resetCounts() {
        eventsRead.set(0);
        lastFromVersion.set(0);
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        if (competingAppends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            delegate.append(stream, ExpectedVersion.any(), List.of(competingEvent.get()));
        }
        return delegate.append(stream, expected, events);
    }

    @Override
    public List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options) {
        List<RecordedEvent> events = delegate.readStream(stream, options);
        eventsRead.addAndGet(events.size());
        lastFromVersion.set(options.fromVersion());
        return events;
    }

    @Override
    public List<RecordedEvent> readAll(ReadAllOptions options) {
        return delegate.readAll(options);
    }

    @Override
    public long streamVersion(StreamId stream) {
        return delegate.streamVersion(stream);
    }

    @Override
    public Position headPosition() {
        return delegate.headPosition();
    }

    @Override
    public StoreStatistics statistics() {
        return delegate.statistics();
    }

    @Override
    public AutoCloseable onCommit(Runnable callback) {
        return delegate.onCommit(callback);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
