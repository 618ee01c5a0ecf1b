// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.app;

import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.shop.order.domain.OrderEvent;
import dev.factum.shop.order.domain.Orders;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreStatistics;
import dev.factum.store.StreamId;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A store that lets a competing writer append one event just before the next append: a deterministic race. */
final class InterferingStore implements EventStore {
    private final EventStore delegate;
    private final AtomicReference<OrderEvent> competitor = new AtomicReference<>();

    InterferingStore(EventStore delegate) {
        this.delegate = delegate;
    }

    /** Before the next append, another writer appends {@code event} to the same stream. */
    void beforeNextAppend(OrderEvent event) {
        competitor.set(event);
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        OrderEvent event = competitor.getAndSet(null);
        if (event != null) {
            delegate.append(stream, ExpectedVersion.any(), List.of(Orders.AGGREGATE.codec().encode(event, Metadata.create())));
        }
        return delegate.append(stream, expected, events);
    }

    @Override
    public List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options) {
        return delegate.readStream(stream, options);
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
