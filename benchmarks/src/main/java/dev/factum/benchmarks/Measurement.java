// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.Optional;

/**
 * One timed run of one side: how many events it handled, how long it took, and the latency of each operation
 * (an append, an insert+commit, a batch read) in nanoseconds.
 *
 * @param parts optional further histograms of the run, in the order to report them: the latency of each part of an
 *              operation (W3: start delay, command, projection, query) and the commands in flight at each arrival;
 *              empty for workloads that do not split their operations
 * @param cpu   the CPU the JVM and the machine used during the run, where the workload measures it (W3)
 */
record Measurement(long events, long nanos, Histogram latency, Map<String, Histogram> parts, Optional<CpuUse> cpu) {

    Measurement(long events, long nanos, Histogram latency) {
        this(events, nanos, latency, Map.of(), Optional.empty());
    }

    double eventsPerSecond() {
        return events / (nanos / 1e9);
    }

    static Histogram newHistogram() {
        // 1 µs .. 10 min at 3 significant digits
        return new Histogram(1_000L, 600_000_000_000L, 3);
    }

    /** {@link #newHistogram()} for recording from many threads at once. */
    static Histogram newConcurrentHistogram() {
        return new ConcurrentHistogram(1_000L, 600_000_000_000L, 3);
    }
}
