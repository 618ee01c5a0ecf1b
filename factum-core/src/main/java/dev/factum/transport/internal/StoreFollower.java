// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport.internal;

import dev.factum.event.RecordedEvent;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Follows the store on one virtual thread: reads batches after a position, hands each to a callback that returns the
 * position to continue after, and sleeps until the next commit (or the poll interval) when caught up. A failing
 * callback (an exception or an error) is retried after {@code retryDelay}, from the position {@code start} loads —
 * the callback must keep its own progress.
 * Used by the in-process transport's consumers and by the relay; not an API.
 */
public final class StoreFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreFollower.class);

    /** Handles one batch; returns the position the next read continues after. */
    @FunctionalInterface
    public interface BatchCallback {
        Position handle(List<RecordedEvent> events) throws Exception;
    }

    /**
     * A failure that is an expected state rather than a fault (a relay standing by while another process holds its
     * lease): retried like any other, but logged at debug level.
     */
    public interface ExpectedFailure {
    }

    /** Where to start, asked before the first read and again after every failure. */
    @FunctionalInterface
    public interface StartPosition {
        Position load() throws Exception;
    }

    private final String name;
    private final EventStore store;
    private final Optional<String> category;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration retryDelay;
    private final StartPosition start;
    private final BatchCallback callback;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Position position = Position.BEGINNING;
    private volatile String lastError;
    private AutoCloseable commitListener;

    public StoreFollower(String name, EventStore store, Optional<String> category, int batchSize, Duration pollInterval,
                         Duration retryDelay, StartPosition start, BatchCallback callback) {
        this.name = Objects.requireNonNull(name, "name");
        this.store = Objects.requireNonNull(store, "store");
        this.category = Objects.requireNonNull(category, "category");
        this.batchSize = batchSize;
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
        this.start = Objects.requireNonNull(start, "start");
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    public synchronized void start() {
        if (running) return;
        running = true;
        commitListener = store.onCommit(wakeUp::release);
        thread = Thread.ofVirtual().name("factum-" + name).start(this::run);
    }

    /** The position the follower has continued after so far. */
    public Position position() {
        return position;
    }

    public boolean running() {
        return running;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Wakes the follower now, as a commit would. */
    public void wakeUp() {
        wakeUp.release();
    }

    private void run() {
        boolean positioned = false;
        while (running) {
            try {
                if (!positioned) {
                    position = start.load();
                    positioned = true;
                }
                ReadAllOptions options = ReadAllOptions.after(position).limit(batchSize);
                if (category.isPresent()) options = options.category(category.get());
                List<RecordedEvent> events = store.readAll(options);
                if (events.isEmpty()) {
                    wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                    continue;
                }
                position = callback.handle(events);
                lastError = null;
            } catch (InterruptedException e) {
                if (!running) return;
                positioned = false;
            } catch (Exception | Error e) { // an Error too: it must not end the thread while running() says true
                if (!running) return;
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (e instanceof ExpectedFailure) {
                    log.debug("{}: {} — trying again in {} ms", name, lastError, retryDelay.toMillis());
                } else {
                    log.warn("{}: {} — retrying in {} ms from its last position", name, lastError, retryDelay.toMillis());
                }
                positioned = false;
                try {
                    Thread.sleep(retryDelay);
                } catch (InterruptedException interrupted) {
                    if (!running) return;
                }
            }
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (!this.running) return;
            this.running = false;
            running = thread;
            try {
                commitListener.close();
            } catch (Exception e) {
                log.debug("{}: closing the commit listener failed", name, e);
            }
        }
        running.interrupt();
        try {
            running.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
