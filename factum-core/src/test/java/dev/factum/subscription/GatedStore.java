// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreStatistics;
import dev.factum.store.StreamId;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Delegates to a store, but holds {@link #readAll} on threads whose name contains a marker (a subscription's
 * thread is named after it, e.g. {@code counts#g2}) until the gate opens: a rebuild can be paused outside any
 * transaction, so other subscriptions sharing the checkpoint store carry on.
 */
final class GatedStore implements EventStore {
    private final EventStore store;
    private volatile String marker = "\u0000";
    private volatile CountDownLatch gate = new CountDownLatch(0);
    final CountDownLatch reached = new CountDownLatch(1);

    GatedStore(EventStore store) {
        this.store = store;
    }

    /** Holds reads of threads named with {@code marker} until {@link #open()}. */
    void close(String marker) {
        this.gate = new CountDownLatch(1);
        this.marker = marker;
    }

    void open() {
        gate.countDown();
    }

    @Override
    public List<RecordedEvent> readAll(ReadAllOptions options) {
        if (Thread.currentThread().getName().contains(marker)) {
            reached.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return store.readAll(options);
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        return store.append(stream, expected, events);
    }

    @Override
    public List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options) {
        return store.readStream(stream, options);
    }

    @Override
    public long streamVersion(StreamId stream) {
        return store.streamVersion(stream);
    }

    @Override
    public Position headPosition() {
        return store.headPosition();
    }

    @Override
    public StoreStatistics statistics() {
        return store.statistics();
    }

    @Override
    public AutoCloseable onCommit(Runnable callback) {
        return store.onCommit(callback);
    }

    @Override
    public void close() {
        store.close();
    }
}
