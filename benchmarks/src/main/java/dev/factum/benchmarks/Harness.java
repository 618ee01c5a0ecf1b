// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs a workload the way BENCHMARKS.md asks: one warm-up run of each side (not reported), then the measured runs
 * interleaved — Factum, limit, Factum, limit, … — so that drift of a shared machine hits both sides alike. The
 * reported ratio is the median of the per-round ratios (Factum events/s ÷ limit events/s of the same round);
 * throughput is the median per side; p50/p99 come from one histogram per side holding every operation of its
 * measured runs.
 */
final class Harness {

    private Harness() {
    }

    /** The measured runs of both sides, in round order. */
    record Outcome(List<Measurement> factum, List<Measurement> limit) {

        double ratio() {
            double[] ratios = new double[factum.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = factum.get(i).eventsPerSecond() / limit.get(i).eventsPerSecond();
            }
            return median(ratios);
        }

        static double medianEventsPerSecond(List<Measurement> runs) {
            return median(runs.stream().mapToDouble(Measurement::eventsPerSecond).toArray());
        }

        static Histogram merged(List<Measurement> runs) {
            Histogram all = Measurement.newHistogram();
            runs.forEach(m -> all.add(m.latency()));
            return all;
        }
    }

    static Outcome run(Workload workload, BenchOptions options) throws Exception {
        log("%s: setting up", workload.id());
        workload.setUp();
        log("%s: warm-up, %,d events per side", workload.id(), options.warmupEvents());
        report("warm-up factum", workload.factum().run(options.warmupEvents()));
        report("warm-up limit ", workload.limit().run(options.warmupEvents()));
        List<Measurement> factum = new ArrayList<>();
        List<Measurement> limit = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            log("%s: round %d of %d, %,d events per side", workload.id(), round, options.rounds(), options.events());
            factum.add(report("factum", workload.factum().run(options.events())));
            limit.add(report("limit ", workload.limit().run(options.events())));
        }
        return new Outcome(factum, limit);
    }

    private static Measurement report(String side, Measurement m) {
        log("  %s %,10.0f events/s  p50 %8.3f ms  p99 %8.3f ms  (%,d events in %.2f s)", side, m.eventsPerSecond(),
                millis(m.latency().getValueAtPercentile(50)), millis(m.latency().getValueAtPercentile(99)), m.events(),
                m.nanos() / 1e9);
        return m;
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
