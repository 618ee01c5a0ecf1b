// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs one workload of BENCHMARKS.md and reports it: {@code benchmarks/run W1} (see {@link BenchOptions#USAGE}).
 * Exit status 0 when the run completed, 1 when it failed, 2 for a usage error; never a judgement on speed.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmarks: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        if (options.workload().equals("W5")) { // no limit side: a report of its own
            try {
                new SagaWorkload(options).run(started);
            } catch (Exception e) {
                System.err.println("benchmarks: W5 failed: " + e);
                e.printStackTrace();
                System.exit(1);
            }
            System.exit(0);
            return;
        }
        try (Workload workload = create(options)) {
            String machine = workload.machine();
            String loadAtStart = Machine.loadAverage();
            Harness.log("%s — %s; %s", workload.id(), workload.title(), machine);
            String load = loadAtStart + " at the start, ";
            Path json;
            if (workload instanceof ReadModelWorkload w3) {
                List<Harness.Level> levels = Harness.runLevels(w3, options);
                LatencyReport report = new LatencyReport(w3, options, levels, machine, System.nanoTime() - started,
                        load + Machine.loadAverage() + " at the end");
                report.print();
                json = report.writeJson();
                report.updateResultsMd();
            } else {
                Harness.Outcome outcome = Harness.run(workload, options);
                List<String> breakdown = workload.breakdown();
                Report report = new Report(workload, options, outcome, machine, System.nanoTime() - started,
                        load + Machine.loadAverage() + " at the end", breakdown);
                report.print();
                json = report.writeJson();
                report.updateResultsMd();
            }
            Harness.log("wrote %s%s", json, options.resultsMd() == null ? "" : " and " + options.resultsMd());
        } catch (Exception e) {
            System.err.println("benchmarks: " + options.workload() + " failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static Workload create(BenchOptions options) throws Exception {
        return switch (options.workload()) {
            case "W1", "W1b" -> new PgAppendWorkload(options);
            case "W1e" -> new SqliteAppendWorkload(options);
            case "W2" -> new CatchUpWorkload(options);
            case "W3" -> new ReadModelWorkload(options);
            case "W4" -> new RelayWorkload(options);
            default -> throw new IllegalArgumentException(options.workload());
        };
    }
}
