// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives operations open-loop at a fixed arrival rate: operation {@code i} is due at {@code start + i / rate}, whatever
 * the operations before it are doing, and its latency runs from that due time to its end — not from when it actually
 * started — so a stall counts in every operation it delays (no coordinated omission). Each operation runs on a virtual
 * thread of its own, so the driver never caps how many are in flight; one platform thread dispatches, sleeping until
 * the next operation is due and starting every operation whose time has come.
 *
 * <p>The measured time runs from the first due time to the end of the last operation, so the events/s of the
 * {@link Measurement} is the rate the side actually completed (below the arrival rate when it fell behind). The
 * {@link CpuUse} covers the same span, from just before the first arrival to the end of the last operation.
 */
final class OpenLoop {
    static final String START_DELAY = "start delay (due → running on its thread)";
    static final String IN_FLIGHT = "commands in flight at each arrival";

    /** One operation; {@code due} is its due time ({@link System#nanoTime()}), for timing its parts. */
    @FunctionalInterface
    interface Operation {
        void run(int index, long due) throws Exception;
    }

    private OpenLoop() {
    }

    /**
     * Runs {@code operations} operations arriving at {@code ratePerSecond}, then waits at most {@code drain} for the
     * last ones to end. The returned parts are {@link #START_DELAY}, then {@code parts} (which the operations record
     * into), then {@link #IN_FLIGHT}.
     *
     * @throws IllegalStateException if an operation failed (the first failure is the cause; no further operations
     *                               are started) or operations were still running after {@code drain}
     */
    static Measurement run(double ratePerSecond, int operations, Map<String, Histogram> parts, Duration drain,
                           Operation operation) throws InterruptedException {
        Histogram latency = Measurement.newConcurrentHistogram();
        Histogram startDelay = Measurement.newConcurrentHistogram();
        Histogram inFlightAtArrival = new ConcurrentHistogram(3);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong lastEnd = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(operations);
        double period = 1e9 / ratePerSecond;
        CpuUse.Snapshot cpuBefore = CpuUse.snapshot();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        int dispatched = 0;
        for (; dispatched < operations && failure.get() == null; dispatched++) {
            long due = start + (long) (dispatched * period);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            int index = dispatched;
            inFlightAtArrival.recordValue(inFlight.incrementAndGet());
            Thread.startVirtualThread(() -> {
                startDelay.recordValue(Math.max(1_000L, System.nanoTime() - due));
                try {
                    operation.run(index, due);
                    long end = System.nanoTime();
                    latency.recordValue(Math.max(1_000L, end - due));
                    lastEnd.accumulateAndGet(end, Math::max);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    inFlight.decrementAndGet();
                    done.countDown();
                }
            });
        }
        for (int i = dispatched; i < operations; i++) done.countDown(); // never started after a failure
        boolean drained = done.await(drain.toNanos(), TimeUnit.NANOSECONDS);
        CpuUse cpu = cpuBefore.until(CpuUse.snapshot());
        if (!drained) {
            throw new IllegalStateException(inFlight.get() + " of " + operations + " operations still running "
                    + drain.toSeconds() + " s after the last arrival (arrival rate " + Math.round(ratePerSecond) + "/s)");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an operation failed: " + failure.get(), failure.get());
        }
        Map<String, Histogram> all = new LinkedHashMap<>();
        all.put(START_DELAY, startDelay);
        all.putAll(parts);
        all.put(IN_FLIGHT, inFlightAtArrival);
        return new Measurement(operations, lastEnd.get() - start, latency, all, Optional.of(cpu));
    }
}
