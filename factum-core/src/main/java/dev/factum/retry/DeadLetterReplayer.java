// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays requested dead letters in the background ({@link DeadLetters#startReplayer}): a virtual thread runs
 * {@link DeadLetters#replayRequested()} at once and then every interval. A round that fails — the store cannot be
 * reached, a consumer throws an error — is logged and the loop goes on. {@link #close()} lets a running round finish
 * (up to {@value #CLOSE_WAIT_SECONDS} seconds, then interrupts it) and stops the loop.
 *
 * @since 0.1
 */
public final class DeadLetterReplayer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final DeadLetters deadLetters;
    private final Duration every;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong failedRounds = new AtomicLong();
    private final Thread thread;

    private DeadLetterReplayer(DeadLetters deadLetters, Duration every) {
        this.deadLetters = deadLetters;
        this.every = every;
        this.thread = Thread.ofVirtual().name("factum-dead-letter-replayer").unstarted(this::run);
    }

    static DeadLetterReplayer start(DeadLetters deadLetters, Duration every) {
        DeadLetterReplayer replayer = new DeadLetterReplayer(deadLetters, every);
        replayer.thread.start();
        return replayer;
    }

    /** Rounds finished so far, failed ones included. */
    public long rounds() {
        return rounds.get();
    }

    /** Rounds that ended in an error (logged) instead of a {@link DeadLetters.ReplayRound}. */
    public long failedRounds() {
        return failedRounds.get();
    }

    /** Whether the loop still runs (until {@link #close()}). */
    public boolean running() {
        return thread.isAlive();
    }

    private void run() {
        try {
            do {
                try {
                    deadLetters.replayRequested();
                } catch (RuntimeException | LinkageError | AssertionError e) {
                    failedRounds.incrementAndGet();
                    log.warn("replaying requested dead letters failed, trying again in {}: {}", every,
                            Failures.reason(e), e);
                }
                rounds.incrementAndGet();
            } while (!stop.await(every.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed while waiting: stop
        }
    }

    /** Stops the loop, letting a running round finish first (interrupted after {@value #CLOSE_WAIT_SECONDS} s). */
    @Override
    public void close() {
        stop.countDown();
        try {
            if (!thread.join(Duration.ofSeconds(CLOSE_WAIT_SECONDS))) {
                log.warn("dead-letter replayer: a round still runs after {} s; interrupting it", CLOSE_WAIT_SECONDS);
                thread.interrupt();
                thread.join(Duration.ofSeconds(CLOSE_WAIT_SECONDS));
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
