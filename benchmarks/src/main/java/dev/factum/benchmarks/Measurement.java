// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * One timed run of one side: how many events it handled, how long it took, and the latency of each operation
 * (an append, an insert+commit, a batch read) in nanoseconds.
 */
record Measurement(long events, long nanos, Histogram latency) {

    double eventsPerSecond() {
        return events / (nanos / 1e9);
    }

    static Histogram newHistogram() {
        // 1 µs .. 10 min at 3 significant digits
        return new Histogram(1_000L, 600_000_000_000L, 3);
    }
}
