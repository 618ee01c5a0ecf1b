// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.relay.Lease;
import dev.factum.relay.LeaseStore;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreStatistics;
import dev.factum.store.StreamId;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.Transport;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a relay's time goes, measured in the W4 runs themselves: the store, transport and lease store the relay is
 * given are wrapped, and each wrapper adds the time of the calls the relay makes ({@code readAll}, {@code publish},
 * {@code tryAcquire}) to a total; the checkpoint saves are timed by the run's checkpoint wrapper. Two
 * {@code nanoTime} calls per call, nothing else changes.
 */
final class RelayParts {
    final AtomicLong read = new AtomicLong();
    final AtomicLong publish = new AtomicLong();
    final AtomicLong lease = new AtomicLong();
    final AtomicLong checkpoint = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    /** The length of the run, set when it ends. */
    long wallNanos;

    /** Adds another run's totals to these. */
    void add(RelayParts run) {
        read.addAndGet(run.read.get());
        publish.addAndGet(run.publish.get());
        lease.addAndGet(run.lease.get());
        checkpoint.addAndGet(run.checkpoint.get());
        batches.addAndGet(run.batches.get());
        wallNanos += run.wallNanos;
    }

    /** One line: each part's mean time per batch and share of the runs' time. */
    String describe() {
        long n = Math.max(1, batches.get());
        long rest = wallNanos - read.get() - publish.get() - lease.get() - checkpoint.get();
        return String.format(Locale.ROOT, "%,d batches, mean per batch: `readAll` %s, lease renewal %s, `publish` until"
                        + " confirmed %s, checkpoint save %s, the rest (`Message.of`, bindings, the relay's loop, the"
                        + " first batch's connection) %s", batches.get(), part(read.get(), n), part(lease.get(), n),
                part(publish.get(), n), part(checkpoint.get(), n), part(rest, n));
    }

    private String part(long nanos, long n) {
        return String.format(Locale.ROOT, "%.3f ms (%.0f %%)", nanos / 1e6 / n, 100.0 * nanos / Math.max(1, wallNanos));
    }

    EventStore store(EventStore delegate) {
        return new TimedStore(delegate, this);
    }

    Transport transport(Transport delegate) {
        return new TimedTransport(delegate, this);
    }

    LeaseStore leases(LeaseStore delegate) {
        return new TimedLeases(delegate, this);
    }

    private record TimedStore(EventStore delegate, RelayParts parts) implements EventStore {
        @Override
        public List<RecordedEvent> readAll(ReadAllOptions options) {
            long t0 = System.nanoTime();
            try {
                return delegate.readAll(options);
            } finally {
                parts.read.addAndGet(System.nanoTime() - t0);
            }
        }

        @Override
        public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
            return delegate.append(stream, expected, events);
        }

        @Override
        public List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options) {
            return delegate.readStream(stream, options);
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
            // the workload closes the store itself
        }
    }

    private record TimedTransport(Transport delegate, RelayParts parts) implements Transport {
        @Override
        public void publish(List<Message> messages) {
            long t0 = System.nanoTime();
            try {
                delegate.publish(messages);
            } finally {
                parts.publish.addAndGet(System.nanoTime() - t0);
                parts.batches.incrementAndGet();
            }
        }

        @Override
        public MessageConsumer consume(ConsumerOptions options, MessageHandler handler) {
            return delegate.consume(options, handler);
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private record TimedLeases(LeaseStore delegate, RelayParts parts) implements LeaseStore {
        @Override
        public boolean tryAcquire(String name, String owner, Duration ttl) {
            long t0 = System.nanoTime();
            try {
                return delegate.tryAcquire(name, owner, ttl);
            } finally {
                parts.lease.addAndGet(System.nanoTime() - t0);
            }
        }

        @Override
        public void release(String name, String owner) {
            delegate.release(name, owner);
        }

        @Override
        public Optional<Lease> current(String name) {
            return delegate.current(name);
        }
    }
}
