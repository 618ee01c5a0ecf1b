// SPDX-License-Identifier: Apache-2.0
package dev.factum.store.internal;

import dev.factum.store.AppendResult;
import dev.factum.store.EventStoreException;
import dev.factum.store.StoreClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: one writer thread takes every append waiting in the queue (up to a number of events) and commits them
 * in one transaction through a {@link BatchWriter}; each caller is answered only after that commit. Each append stays
 * atomic and is checked against its own expected version by the writer. If the batch's transaction fails as a whole,
 * each append is retried alone, so one append's failure is never another's. Store SPI, not for applications.
 */
public final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** Commits a batch in one transaction and returns one outcome per request, in order; throws to roll back all. */
    @FunctionalInterface
    public interface BatchWriter {
        List<AppendPlanner.Outcome> write(List<AppendRequest> batch) throws Exception;
    }

    private record Pending(AppendRequest request, CompletableFuture<AppendResult> result) {
    }

    private final String storeName;
    private final BatchWriter writer;
    private final int maxBatchEvents;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public GroupCommitter(String storeName, BatchWriter writer, int maxBatchEvents) {
        this.storeName = storeName;
        this.writer = writer;
        this.maxBatchEvents = maxBatchEvents;
        this.thread = Thread.ofPlatform().name("factum-append-" + storeName).daemon().start(this::run);
    }

    /** Queues the append and blocks until its transaction committed or failed. */
    public AppendResult submit(AppendRequest request) {
        if (closed) throw new StoreClosedException(storeName);
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        queue.add(new Pending(request, result));
        if (closed) failPending();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventStoreException("interrupted while waiting for the append to " + request.stream()
                    + " to commit; it may or may not be stored (retry with the same event ids to find out)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                runtime.addSuppressed(new Exception("append submitted here"));
                throw runtime;
            }
            throw new EventStoreException("append to " + request.stream() + " failed", e.getCause());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                int events = first.request().events().size();
                Pending next;
                while (events < maxBatchEvents && (next = queue.peek()) != null
                        && events + next.request().events().size() <= maxBatchEvents) {
                    batch.add(queue.poll());
                    events += next.request().events().size();
                }
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                LOG.error("group commit of {} failed unexpectedly", storeName, t);
                batch.forEach(p -> p.result().completeExceptionally(t));
            } finally {
                batch.clear();
            }
        }
        failPending();
    }

    private void commit(List<Pending> batch) {
        try {
            List<AppendPlanner.Outcome> outcomes = writer.write(batch.stream().map(Pending::request).toList());
            for (int i = 0; i < batch.size(); i++) complete(batch.get(i), outcomes.get(i));
        } catch (Exception whole) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(translate(batch.get(0).request(), whole));
                return;
            }
            LOG.debug("batch of {} appends failed as a whole; retrying each alone", batch.size(), whole);
            for (Pending pending : batch) {
                try {
                    complete(pending, writer.write(List.of(pending.request())).get(0));
                } catch (Exception alone) {
                    pending.result().completeExceptionally(translate(pending.request(), alone));
                }
            }
        }
    }

    private static void complete(Pending pending, AppendPlanner.Outcome outcome) {
        switch (outcome) {
            case AppendPlanner.Refused refused -> pending.result().completeExceptionally(refused.error());
            default -> pending.result().complete(outcome.resultOrThrow());
        }
    }

    private static RuntimeException translate(AppendRequest request, Exception e) {
        if (e instanceof RuntimeException runtime) return runtime;
        return new EventStoreException("append to " + request.stream() + " failed: " + e.getMessage(), e);
    }

    private void failPending() {
        Pending p;
        while ((p = queue.poll()) != null) p.result().completeExceptionally(new StoreClosedException(storeName));
    }

    /** Commits what is queued, then stops the writer thread; later submits raise {@link StoreClosedException}. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPending();
    }
}
