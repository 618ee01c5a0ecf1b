// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives concurrent writers: {@code writers} platform threads, released together, each running its share of the
 * operations one after the other and timing each into its own histogram. The measured time runs from the release to
 * the end of the last writer.
 */
final class Writers {

    /** One operation of one writer: its {@code index}-th (0-based) of {@link #operationsOf}. */
    @FunctionalInterface
    interface Operation {
        void run(int writer, int index) throws Exception;
    }

    private Writers() {
    }

    /** How many operations writer {@code writer} runs when {@code total} are spread over {@code writers}. */
    static int operationsOf(int writer, int writers, long total) {
        return (int) (total / writers + (writer < total % writers ? 1 : 0));
    }

    /**
     * Runs {@code operations} operations spread over {@code writers} threads.
     *
     * @param eventsPerOperation events each operation writes, for the events/s figure
     */
    static Measurement run(int writers, long operations, int eventsPerOperation, Operation operation) throws Exception {
        CountDownLatch ready = new CountDownLatch(writers);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            int count = operationsOf(w, writers, operations);
            Histogram h = Measurement.newHistogram();
            histograms.add(h);
            threads.add(Thread.ofPlatform().name("bench-writer-" + w).start(() -> {
                ready.countDown();
                try {
                    go.await();
                    for (int i = 0; i < count && failure.get() == null; i++) {
                        long t0 = System.nanoTime();
                        operation.run(writer, i);
                        h.recordValue(Math.max(1_000L, System.nanoTime() - t0));
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : threads) t.join();
        long nanos = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new IllegalStateException("a writer failed: " + failure.get(), failure.get());
        }
        Histogram all = Measurement.newHistogram();
        histograms.forEach(all::add);
        return new Measurement(operations * eventsPerOperation, nanos, all);
    }
}
