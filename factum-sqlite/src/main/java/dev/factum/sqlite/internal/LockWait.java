// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import org.sqlite.BusyHandler;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How a connection waits for a lock another connection or process holds: it retries every {@value #RETRY_MICROS}
 * microseconds until the busy timeout has passed, then gives up ({@code SQLITE_BUSY}). SQLite's built-in busy
 * timeout backs off to 100 ms between retries, so a process waiting for a busy writer in another process could wait
 * about a second for a lock that is free for microseconds between that writer's transactions; retrying often gives
 * the waiting process its turn far sooner.
 */
final class LockWait extends BusyHandler {
    private static final long RETRY_MICROS = 500;

    private final long timeoutNanos;
    private long firstTry;

    LockWait(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    protected int callback(int retriesSoFar) {
        long now = System.nanoTime();
        if (retriesSoFar == 0) firstTry = now;
        if (now - firstTry >= timeoutNanos) return 0;
        LockSupport.parkNanos(Math.min(RETRY_MICROS * 1000, timeoutNanos - (now - firstTry)));
        return 1;
    }
}
