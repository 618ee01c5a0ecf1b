// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The report of the open-loop workload W3: prints its table, writes {@code W3-<store>.json} and replaces its section
 * of RESULTS.md (through {@link Report#updateResultsMd}); {@link #summary} is the latency table of RESULTS.md's
 * summary, built from every W3 result. Figures per load level: completed commands/s, p50/p99/p99.9/max of one
 * HdrHistogram per side over all its measured runs, commands in flight, the median of the rounds' p99 ratios, and
 * where a Factum command's time goes.
 */
final class LatencyReport {
    private static final List<String> RESULTS = List.of("W3-sqlite", "W3-postgres");

    private final ReadModelWorkload workload;
    private final BenchOptions options;
    private final List<Harness.Level> levels;
    private final String machine;
    private final long elapsedNanos;
    private final String load;

    LatencyReport(ReadModelWorkload workload, BenchOptions options, List<Harness.Level> levels, String machine,
                  long elapsedNanos, String load) {
        this.workload = workload;
        this.options = options;
        this.levels = levels;
        this.machine = machine;
        this.elapsedNanos = elapsedNanos;
        this.load = load;
    }

    void print() {
        Harness.log("");
        Harness.log("%s — %s", workload.id(), workload.title());
        Harness.log("W1 maximum %,.0f events/s, %s", workload.w1Max(), workload.w1MaxSource().replace("`", ""));
        Harness.log("open loop, %.0f s per run, %d interleaved rounds per side and load after a %.0f s warm-up of each;"
                        + " one operation = %s; run took %.1f min", options.seconds(), options.rounds(),
                options.warmupSeconds(), workload.operation(), elapsedNanos / 60e9);
        Harness.log("%-5s %10s  %-36s %11s %9s %9s %9s %9s %14s %12s  %s", "load", "arrival/s", "side", "completed/s",
                "p50 ms", "p99 ms", "p99.9 ms", "max ms", "in flight p99/max", "JVM CPU ms", "machine busy");
        for (Harness.Level level : levels) {
            for (boolean factum : new boolean[]{true, false}) {
                List<Measurement> runs = factum ? level.outcome().factum() : level.outcome().limit();
                Histogram h = Harness.Outcome.merged(runs);
                Histogram inFlight = merged(runs, OpenLoop.IN_FLIGHT);
                Harness.log("%-5s %10s  %-36s %,11.0f %9.3f %9.3f %9.3f %9.3f %14s %12.3f  %s; GC %s",
                        factum ? percent(level.load()) : "", factum ? String.format(Locale.ROOT, "%,.0f", level.rate()) : "",
                        factum ? "factum" : "limit " + workload.limitName(), Harness.Outcome.medianEventsPerSecond(runs),
                        ms(h, 50), ms(h, 99), ms(h, 99.9), Harness.millis(h.getMaxValue()),
                        inFlight.getValueAtPercentile(99) + "/" + inFlight.getMaxValue(), jvmCpuMsPerCommand(runs),
                        busyText(runs), gcText(runs));
            }
        }
        for (Harness.Level level : levels) {
            Harness.log("p99 factum/limit at %s (median of rounds) %.3f   per round: %s", percent(level.load()),
                    level.outcome().latencyRatio(99), roundRatios(level));
        }
        Harness.log("goal: %s", goal());
        for (Harness.Level level : levels) {
            partsOf(level.outcome().factum()).forEach((name, h) -> Harness.log("factum at %s, %s: p50 %.3f ms, p99 %.3f ms",
                    percent(level.load()), name, ms(h, 50), ms(h, 99)));
        }
        Harness.log("JVM CPU ms = CPU time of this JVM (load generator included) per command; machine busy = share of"
                + " all cores' time busy during the runs, and who used it; medians of the runs");
        Harness.log("machine: %s; 1-minute load average %s", machine, load);
    }

    Path writeJson() throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("workload", workload.id());
        json.put("store", workload.store());
        json.put("w1_max_events_per_s", Math.round(workload.w1Max()));
        json.put("w1_max_source", workload.w1MaxSource().replace("`", ""));
        json.put("seconds_per_run", options.seconds());
        json.put("warmup_seconds", options.warmupSeconds());
        json.put("rounds", options.rounds());
        List<Object> levelsJson = new ArrayList<>();
        for (Harness.Level level : levels) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("load", level.load());
            l.put("rate_per_s", Math.round(level.rate()));
            l.put("commands_per_run", level.commands());
            l.put("factum", side(level.outcome().factum(), null));
            l.put("limit", side(level.outcome().limit(), workload.limitName()));
            l.put("ratio_p99", round3(level.outcome().latencyRatio(99)));
            l.put("rounds_p99_ms", IntStream.range(0, level.outcome().factum().size())
                    .mapToObj(i -> List.of(round3(ms(level.outcome().factum().get(i).latency(), 99)),
                            round3(ms(level.outcome().limit().get(i).latency(), 99)))).toList());
            if (level.load() == ReadModelWorkload.LOADS.get(0)) {
                l.put("goal_p99_ms", goalMs());
                l.put("goal_met", factumP99AtGoalLoad() < goalMs());
            }
            levelsJson.add(l);
        }
        json.put("levels", levelsJson);
        json.put("machine", machine);
        Files.createDirectories(options.resultsDir());
        Path file = options.resultsDir().resolve(workload.resultId() + ".json");
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, mapper.writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    void updateResultsMd() throws IOException {
        Report.updateResultsMd(options, workload.resultId(), section());
    }

    private Map<String, Object> side(List<Measurement> runs, String name) {
        Histogram h = Harness.Outcome.merged(runs);
        Histogram inFlight = merged(runs, OpenLoop.IN_FLIGHT);
        Map<String, Object> side = new LinkedHashMap<>();
        if (name != null) side.put("name", name);
        side.put("events_per_s", Math.round(Harness.Outcome.medianEventsPerSecond(runs)));
        side.put("p50_ms", round3(ms(h, 50)));
        side.put("p99_ms", round3(ms(h, 99)));
        side.put("p999_ms", round3(ms(h, 99.9)));
        side.put("max_ms", round3(Harness.millis(h.getMaxValue())));
        side.put("in_flight_p99", inFlight.getValueAtPercentile(99));
        side.put("in_flight_max", inFlight.getMaxValue());
        side.put("jvm_cpu_ms_per_command", round3(jvmCpuMsPerCommand(runs)));
        side.put("machine_cpu_busy", round3(machineBusy(runs)));
        side.put("jvm_cpu_busy", round3(medianCpu(runs, CpuUse::jvmBusy)));
        side.put("postgres_cpu_busy", round3(medianCpu(runs, CpuUse::postgresBusy)));
        side.put("other_cpu_busy", round3(medianCpu(runs, CpuUse::otherBusy)));
        side.put("gc_pauses_per_run", Math.round(medianCpu(runs, CpuUse::gcPauses)));
        side.put("gc_pause_ms_per_run", Math.round(medianCpu(runs, CpuUse::gcPauseMillis)));
        Map<String, Object> parts = new LinkedHashMap<>();
        partsOf(runs).forEach((part, ph) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("p50_ms", round3(ms(ph, 50)));
            p.put("p99_ms", round3(ms(ph, 99)));
            parts.put(part, p);
        });
        side.put("parts", parts);
        return side;
    }

    private String section() {
        StringBuilder s = new StringBuilder();
        s.append("## ").append(workload.id()).append(" — ").append(workload.title()).append("\n\n");
        s.append("Command: `").append(options.command()).append("` — run ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("\n\n");
        s.append(String.format(Locale.ROOT, "W1 maximum: %,.0f events/s, %s. Open loop: commands arrive at a fixed"
                        + " rate and each one's time runs from its due time (coordinated omission corrected); %.0f s per"
                        + " run, %d interleaved %s per side and load after a %.0f s warm-up of each; one operation = %s."
                        + " The whole run took %.1f min.%n%n", workload.w1Max(), workload.w1MaxSource(),
                options.seconds(), options.rounds(), options.rounds() == 1 ? "round" : "rounds", options.warmupSeconds(),
                workload.operation(), elapsedNanos / 60e9));
        s.append("| load | arrival/s | side | completed/s | p50 ms | p99 ms | p99.9 ms | max ms | in flight p99 / max"
                + " | JVM CPU ms / command | machine CPU busy | GC pauses / ms per run |\n");
        s.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Harness.Level level : levels) {
            for (boolean factum : new boolean[]{true, false}) {
                List<Measurement> runs = factum ? level.outcome().factum() : level.outcome().limit();
                Histogram h = Harness.Outcome.merged(runs);
                Histogram inFlight = merged(runs, OpenLoop.IN_FLIGHT);
                s.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %,.0f | %.3f | %.3f | %.3f | %.3f | %d / %d"
                                + " | %.3f | %s | %s |%n",
                        percent(level.load()), level.rate(), factum ? "Factum" : "limit: " + workload.limitName(),
                        Harness.Outcome.medianEventsPerSecond(runs), ms(h, 50), ms(h, 99), ms(h, 99.9),
                        Harness.millis(h.getMaxValue()), inFlight.getValueAtPercentile(99), inFlight.getMaxValue(),
                        jvmCpuMsPerCommand(runs), busyText(runs), gcText(runs)));
            }
        }
        s.append("\nCompleted/s below the arrival rate: the side fell behind and its backlog grew during the run. JVM"
                + " CPU: CPU time of the benchmark's JVM (the load generator included) per command. Machine CPU busy:"
                + " the share of all cores' time that was busy during the runs, and in brackets who used it, in %: the"
                + " benchmark's JVM, processes named postgres (any client's work), everything else on the machine."
                + " GC: the JVM's garbage-collection pauses in a run and their total ms. Medians of the runs.\n\n");
        for (Harness.Level level : levels) {
            s.append(String.format(Locale.ROOT, "**p99 Factum ÷ limit at %s: %.3f** (median of the rounds' ratios: %s;"
                            + " rounds' p99 ms Factum / limit: %s).%n%n", percent(level.load()),
                    level.outcome().latencyRatio(99), roundRatios(level), roundP99s(level)));
        }
        s.append("**Goal (issue 2): ").append(goal()).append("**\n\n");
        s.append("Where a command's time goes (p50 / p99 ms of each part over all measured runs; the parts of one"
                + " command add up to its time, but percentiles of parts do not add up):\n\n");
        s.append("| side | part |");
        levels.forEach(l -> s.append(" ").append(percent(l.load())).append(" p50 | ")
                .append(percent(l.load())).append(" p99 |"));
        s.append("\n|---|---|").append("---:|---:|".repeat(levels.size())).append("\n");
        for (boolean factum : new boolean[]{true, false}) {
            List<Map<String, Histogram>> byLevel = levels.stream()
                    .map(l -> partsOf(factum ? l.outcome().factum() : l.outcome().limit())).toList();
            for (String part : byLevel.get(0).keySet()) {
                s.append("| ").append(factum ? "Factum" : "limit").append(" | ").append(part).append(" |");
                for (Map<String, Histogram> parts : byLevel) {
                    Histogram h = parts.get(part);
                    s.append(String.format(Locale.ROOT, " %.3f | %.3f |", ms(h, 50), ms(h, 99)));
                }
                s.append("\n");
            }
        }
        s.append("\nMachine: ").append(machine).append("; 1-minute load average ").append(load)
                .append(" (above nproc: other processes competed for the cores).\n\n");
        s.append(workload.description().strip()).append("\n");
        return s.toString();
    }

    /** The latency table of RESULTS.md's summary, from the W3 results in {@code resultsDir}; empty if there are none. */
    static String summary(Path resultsDir) throws IOException {
        List<JsonNode> results = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String id : RESULTS) {
            Path file = resultsDir.resolve(id + ".json");
            if (Files.exists(file)) results.add(mapper.readTree(file.toFile()));
        }
        if (results.isEmpty()) return "";
        StringBuilder s = new StringBuilder("\nW3 — command → read model visible, open loop (latency per command from its"
                + " due time; the limit is the raw INSERT + COMMIT at the same arrival rate):\n\n");
        s.append("| workload | store | load | arrival/s | Factum p50 / p99 / p99.9 ms | limit | limit p50 / p99 / p99.9 ms"
                + " | p99 ratio | goal: p99 at 50 % |\n");
        s.append("|---|---|---:|---:|---:|---|---:|---:|---|\n");
        for (JsonNode json : results) {
            for (JsonNode level : json.path("levels")) {
                JsonNode f = level.path("factum");
                JsonNode l = level.path("limit");
                String goal = level.has("goal_p99_ms")
                        ? String.format(Locale.ROOT, "< %s ms: %s", number(level.path("goal_p99_ms").asDouble()),
                        level.path("goal_met").asBoolean() ? "met" : "**not met**")
                        : "";
                s.append(String.format(Locale.ROOT, "| W3 | %s | %s | %,d | %.2f / %.2f / %.2f | %s | %.2f / %.2f / %.2f"
                                + " | **%.3f** | %s |%n", json.path("store").asText(), percent(level.path("load").asDouble()),
                        level.path("rate_per_s").asLong(), f.path("p50_ms").asDouble(), f.path("p99_ms").asDouble(),
                        f.path("p999_ms").asDouble(), l.path("name").asText(), l.path("p50_ms").asDouble(),
                        l.path("p99_ms").asDouble(), l.path("p999_ms").asDouble(), level.path("ratio_p99").asDouble(), goal));
            }
        }
        s.append("\np99 ratio = Factum's p99 ÷ the limit's p99, median of the rounds (below 1: Factum's whole path is"
                + " quicker than the raw commit at that rate, which happens when the raw side cannot keep up).\n");
        return s.toString();
    }

    private String goal() {
        double p99 = factumP99AtGoalLoad();
        String rounds = levels.stream().filter(l -> l.load() == ReadModelWorkload.LOADS.get(0)).findFirst()
                .map(l -> l.outcome().factum().stream().map(m -> String.format(Locale.ROOT, "%.3f", ms(m.latency(), 99)))
                        .collect(Collectors.joining(", "))).orElse("");
        return String.format(Locale.ROOT, "p99 < %s ms at %s of the W1 maximum on %s — %s (Factum's p99 %.3f ms over"
                        + " all measured runs; the rounds' p99: %s ms).", number(goalMs()),
                percent(ReadModelWorkload.LOADS.get(0)), workload.store(), p99 < goalMs() ? "met" : "NOT met", p99, rounds);
    }

    private double goalMs() {
        return ReadModelWorkload.GOAL_P99_MS.get(workload.store());
    }

    private double factumP99AtGoalLoad() {
        return levels.stream().filter(l -> l.load() == ReadModelWorkload.LOADS.get(0)).findFirst()
                .map(l -> ms(Harness.Outcome.merged(l.outcome().factum()), 99)).orElse(Double.NaN);
    }

    /** The parts of the runs' operations (all but the in-flight counts), each merged over the runs. */
    private static Map<String, Histogram> partsOf(List<Measurement> runs) {
        return runs.get(0).parts().keySet().stream().filter(name -> !name.equals(OpenLoop.IN_FLIGHT))
                .collect(Collectors.toMap(Function.identity(), name -> merged(runs, name), (a, b) -> a, LinkedHashMap::new));
    }

    private static Histogram merged(List<Measurement> runs, String part) {
        Histogram all = runs.get(0).parts().get(part).copy();
        all.reset();
        runs.forEach(m -> all.add(m.parts().get(part)));
        return all;
    }

    private static double jvmCpuMsPerCommand(List<Measurement> runs) {
        return Harness.median(runs.stream().mapToDouble(m -> m.cpu().map(c -> c.jvmCpuNanos() / 1e6 / m.events())
                .orElse(Double.NaN)).toArray());
    }

    private static double machineBusy(List<Measurement> runs) {
        return medianCpu(runs, CpuUse::machineBusy);
    }

    private static double medianCpu(List<Measurement> runs, java.util.function.ToDoubleFunction<CpuUse> figure) {
        return Harness.median(runs.stream().mapToDouble(m -> m.cpu().map(figure::applyAsDouble).orElse(Double.NaN))
                .toArray());
    }

    /** "12 / 85": median GC pauses per run and their median total ms per run. */
    private static String gcText(List<Measurement> runs) {
        return String.format(Locale.ROOT, "%.0f / %.0f", medianCpu(runs, CpuUse::gcPauses),
                medianCpu(runs, CpuUse::gcPauseMillis));
    }

    /** "98 % (JVM 45, PostgreSQL 40, other 13)": medians of the runs, in % of all cores' time. */
    private static String busyText(List<Measurement> runs) {
        return String.format(Locale.ROOT, "%.0f %% (JVM %.0f, PostgreSQL %.0f, other %.0f)", machineBusy(runs) * 100,
                medianCpu(runs, CpuUse::jvmBusy) * 100, medianCpu(runs, CpuUse::postgresBusy) * 100,
                medianCpu(runs, CpuUse::otherBusy) * 100);
    }

    private static String roundRatios(Harness.Level level) {
        Harness.Outcome o = level.outcome();
        return IntStream.range(0, o.factum().size()).mapToObj(i -> String.format(Locale.ROOT, "%.3f",
                ms(o.factum().get(i).latency(), 99) / ms(o.limit().get(i).latency(), 99))).collect(Collectors.joining(", "));
    }

    private static String roundP99s(Harness.Level level) {
        Harness.Outcome o = level.outcome();
        return IntStream.range(0, o.factum().size()).mapToObj(i -> String.format(Locale.ROOT, "%.3f / %.3f",
                ms(o.factum().get(i).latency(), 99), ms(o.limit().get(i).latency(), 99))).collect(Collectors.joining("; "));
    }

    private static String percent(double load) {
        return Math.round(load * 100) + " %";
    }

    private static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static double ms(Histogram h, double percentile) {
        return Harness.millis(h.getValueAtPercentile(percentile));
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
