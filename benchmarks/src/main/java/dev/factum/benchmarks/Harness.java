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

        /**
         * Median of the per-round ratios of a latency percentile, Factum ÷ limit (above 1: Factum's latency is
         * higher than the limit's); for the open-loop workload, whose sides run at the same arrival rate.
         */
        double latencyRatio(double percentile) {
            double[] ratios = new double[factum.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = (double) factum.get(i).latency().getValueAtPercentile(percentile)
                        / limit.get(i).latency().getValueAtPercentile(percentile);
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

    /**
     * One load level of the open-loop workload (W3): the fraction of the W1 maximum, the arrival rate it gives, the
     * commands of each measured run, and the measured runs.
     */
    record Level(double load, double rate, long commands, Outcome outcome) {
    }

    static Outcome run(Workload workload, BenchOptions options) throws Exception {
        log("%s: setting up", workload.id());
        workload.setUp();
        return interleave(workload, options.warmupEvents(), options.events(), options.rounds(), "events");
    }

    /**
     * W3: after the set-up (which calibrates the W1 maximum), runs each load level of {@link ReadModelWorkload#LOADS}
     * as {@link #run} runs a workload — one warm-up run of each side, then the rounds interleaved — with the sides
     * driven at that fraction of the W1 maximum for {@code --warmup-seconds} and {@code --seconds}.
     */
    static List<Level> runLevels(ReadModelWorkload workload, BenchOptions options) throws Exception {
        log("%s: setting up", workload.id());
        workload.setUp();
        List<Level> levels = new ArrayList<>();
        for (double load : ReadModelWorkload.LOADS) {
            double rate = load * workload.w1Max();
            long warmup = Math.max(1, Math.round(rate * options.warmupSeconds()));
            long commands = Math.max(1, Math.round(rate * options.seconds()));
            log("%s: %.0f %% of the W1 maximum = %,.0f commands/s", workload.id(), load * 100, rate);
            workload.rate(rate);
            Outcome outcome = interleave(workload, warmup, commands, options.rounds(), "commands");
            levels.add(new Level(load, rate, commands, outcome));
        }
        return levels;
    }

    private static Outcome interleave(Workload workload, long warmup, long events, int rounds, String unit)
            throws Exception {
        log("%s: warm-up, %,d %s per side", workload.id(), warmup, unit);
        report("warm-up factum", workload.factum().run(warmup));
        report("warm-up limit ", workload.limit().run(warmup));
        List<Measurement> factum = new ArrayList<>();
        List<Measurement> limit = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            log("%s: round %d of %d, %,d %s per side", workload.id(), round, rounds, events, unit);
            factum.add(report("factum", workload.factum().run(events)));
            limit.add(report("limit ", workload.limit().run(events)));
        }
        return new Outcome(factum, limit);
    }

    private static Measurement report(String side, Measurement m) {
        log("  %s %,10.0f events/s  p50 %8.3f ms  p99 %8.3f ms  (%,d events in %.2f s)", side, m.eventsPerSecond(),
                millis(m.latency().getValueAtPercentile(50)), millis(m.latency().getValueAtPercentile(99)), m.events(),
                m.nanos() / 1e9);
        if (!m.parts().isEmpty()) {
            Histogram inFlight = m.parts().get(OpenLoop.IN_FLIGHT);
            log("  %14s %10s          p99.9 %8.3f ms  max %8.3f ms  in flight p99 %d, max %d%s", "", "",
                    millis(m.latency().getValueAtPercentile(99.9)), millis(m.latency().getMaxValue()),
                    inFlight.getValueAtPercentile(99), inFlight.getMaxValue(), m.cpu().map(cpu -> String.format(
                            Locale.ROOT, "; machine %.0f %% busy (JVM %.0f, PostgreSQL %.0f, other %.0f); GC %d"
                                    + " pauses, %d ms", cpu.machineBusy() * 100, cpu.jvmBusy() * 100,
                            cpu.postgresBusy() * 100, cpu.otherBusy() * 100, cpu.gcPauses(), cpu.gcPauseMillis()))
                            .orElse(""));
        }
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
