// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prints the table of a finished run, writes {@code <workload>.json} in the format of BENCHMARKS.md, and replaces the
 * workload's section of RESULTS.md (text before the first section is kept as it is).
 */
final class Report {
    /** The throughput workloads, in the order of the summary. */
    private static final List<String> THROUGHPUT = List.of("W1", "W1b", "W1e", "W2", "W4-rabbitmq", "W4-kafka");
    /** Every result, in the order of RESULTS.md's sections. */
    private static final List<String> ORDER = List.of("W1", "W1b", "W1e", "W2", "W3-sqlite", "W3-postgres",
            "W4-rabbitmq", "W4-kafka");
    private static final Pattern SECTION = Pattern.compile("<!-- ([\\w-]+) -->\\R(.*?)<!-- /\\1 -->\\R?", Pattern.DOTALL);
    /** The goals of issue 2, for the summary table (a goal is never a test). */
    private static final Map<String, String> GOALS = Map.of("W1", "≥ 0.95", "W1b", "≥ 0.95", "W1e", "≥ 0.9", "W2", "≥ 0.9",
            "W4-rabbitmq", "≥ 0.85", "W4-kafka", "≥ 0.85");
    private static final String PREAMBLE = """
            # Benchmark results

            Each section below is the latest run of one workload of `BENCHMARKS.md`, written by `benchmarks/run`
            (the exact command is in the section; `benchmarks/run --help` lists the options). Every figure stands next
            to its limit: the raw driver doing the same durable work, measured in the same run, on the same machine,
            against the same server, interleaved Factum, limit, Factum, limit, … after one warm-up run of each side.
            The ratio is the median of the per-round ratios of events/s (above 1: Factum is faster than the limit);
            events/s is the median per side; p50/p99 come from one HdrHistogram per side over all its measured
            operations. The machine is a shared 2-core VM on which other builds and tests may run at the same time:
            compare the ratio, not the absolute numbers, and expect round-to-round spread.

            Commands (each builds the module first if a source changed):

            ```
            benchmarks/run W1     # PostgreSQL, 1 event per append, 16 writers, 200,000 events
            benchmarks/run W1b    # PostgreSQL, 100 events per append, 16 writers, 200,000 events
            benchmarks/run W1e    # SQLite, 1 event per append, 16 writers, 50,000 events (see below)
            benchmarks/run W2     # PostgreSQL, catch-up read of 1,000,000 events
            benchmarks/run W3 --store sqlite    # command → read model visible, open loop at 50 % and 90 % of W1e's max
            benchmarks/run W3 --store postgres  # the same on PostgreSQL, at 50 % and 90 % of W1's max
            benchmarks/run W4 --transport rabbitmq  # relay 200,000 events from SQLite to RabbitMQ, confirmed
            benchmarks/run W4 --transport kafka     # the same to Kafka (start a broker first: kafka/run)
            ```

            W3 measures latency, not throughput: both sides run at the same fixed arrival rate and its figures are
            p50/p99/p99.9 per command from its due time; its ratio is Factum's p99 ÷ the floor's p99 (above 1: Factum
            takes longer than the raw commit).

            Reduction from BENCHMARKS.md: W1e runs 50,000 events per run by default instead of 200,000, because its
            limit (one fsync per row on SQLite, `synchronous=FULL`) runs at 1–9k rows/s on this VM and 3 + 3 rounds of
            200,000 took 8.7 minutes; `benchmarks/run W1e --events 200000` runs the full size.

            """;


    private final Workload workload;
    private final BenchOptions options;
    private final Harness.Outcome outcome;
    private final String machine;
    private final long elapsedNanos;
    private final String load;
    private final List<String> breakdown;

    Report(Workload workload, BenchOptions options, Harness.Outcome outcome, String machine, long elapsedNanos,
           String load, List<String> breakdown) {
        this.breakdown = breakdown;
        this.elapsedNanos = elapsedNanos;
        this.load = load;
        this.workload = workload;
        this.options = options;
        this.outcome = outcome;
        this.machine = machine;
    }

    void print() {
        Histogram f = Harness.Outcome.merged(outcome.factum());
        Histogram l = Harness.Outcome.merged(outcome.limit());
        Harness.log("");
        Harness.log("%s — %s", workload.id(), workload.title());
        Harness.log("%s, %,d events per run, %d interleaved rounds per side; one operation = %s; run took %.1f min",
                workload.concurrency(), options.events(), options.rounds(),
                workload.operation(), elapsedNanos / 60e9);
        Harness.log("%-36s %12s %10s %10s", "side", "events/s", "p50 ms", "p99 ms");
        Harness.log("%-36s %,12.0f %10.3f %10.3f", "factum", Harness.Outcome.medianEventsPerSecond(outcome.factum()),
                p(f, 50), p(f, 99));
        Harness.log("%-36s %,12.0f %10.3f %10.3f", "limit " + workload.limitName(),
                Harness.Outcome.medianEventsPerSecond(outcome.limit()), p(l, 50), p(l, 99));
        Harness.log("ratio factum/limit (median of rounds) %.3f   per round: %s", outcome.ratio(), roundRatios());
        cpuText(outcome.factum()).ifPresent(text -> Harness.log("CPU factum: %s", text));
        cpuText(outcome.limit()).ifPresent(text -> Harness.log("CPU limit:  %s", text));
        Harness.log("machine: %s; 1-minute load average %s", machine, load);
        breakdown.forEach(line -> Harness.log("breakdown: %s", line.replace("`", "")));
    }

    Path writeJson() throws IOException {
        Histogram f = Harness.Outcome.merged(outcome.factum());
        Histogram l = Harness.Outcome.merged(outcome.limit());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("workload", workload.id());
        json.put("store", workload.store());
        json.putAll(workload.jsonFields());
        json.put("writers", workload.writers());
        json.put("events", options.events());
        Map<String, Object> factum = new LinkedHashMap<>();
        factum.put("events_per_s", Math.round(Harness.Outcome.medianEventsPerSecond(outcome.factum())));
        factum.put("p50_ms", round3(p(f, 50)));
        factum.put("p99_ms", round3(p(f, 99)));
        putCpu(factum, outcome.factum());
        json.put("factum", factum);
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("name", workload.limitName());
        limit.put("events_per_s", Math.round(Harness.Outcome.medianEventsPerSecond(outcome.limit())));
        limit.put("p50_ms", round3(p(l, 50)));
        limit.put("p99_ms", round3(p(l, 99)));
        putCpu(limit, outcome.limit());
        json.put("limit", limit);
        json.put("ratio", round3(outcome.ratio()));
        json.put("machine", machine);
        Files.createDirectories(options.resultsDir());
        Path file = options.resultsDir().resolve(workload.resultId() + ".json");
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(file, mapper.writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    void updateResultsMd() throws IOException {
        updateResultsMd(options, workload.resultId(), section());
    }

    /**
     * Replaces (or adds) section {@code resultId} of RESULTS.md with {@code section} and rewrites the summary from the
     * JSON results; the text before the first section is kept as it is.
     */
    static void updateResultsMd(BenchOptions options, String resultId, String section) throws IOException {
        Path md = options.resultsMd();
        if (md == null) return;
        String text = Files.exists(md) ? Files.readString(md, StandardCharsets.UTF_8) : PREAMBLE;
        Matcher m = SECTION.matcher(text);
        Map<String, String> sections = new LinkedHashMap<>();
        int first = -1;
        while (m.find()) {
            if (first < 0) first = m.start();
            sections.put(m.group(1), m.group(2));
        }
        String preamble = first < 0 ? text : text.substring(0, first);
        if (!preamble.endsWith("\n\n")) preamble = preamble.stripTrailing() + "\n\n";
        sections.put(resultId, section);
        sections.remove("summary");
        StringBuilder out = new StringBuilder(preamble);
        append(out, "summary", summary(options.resultsDir()));
        ORDER.stream().filter(sections::containsKey).forEach(id -> append(out, id, sections.get(id)));
        sections.keySet().stream().filter(id -> !ORDER.contains(id) && !id.equals("summary")).forEach(id -> append(out, id, sections.get(id)));
        Files.writeString(md, out.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
    }

    private static void append(StringBuilder out, String id, String body) {
        out.append("<!-- ").append(id).append(" -->\n").append(body.stripTrailing()).append("\n<!-- /").append(id)
                .append(" -->\n\n");
    }

    /** The latest figures of every workload, from the JSON files next to this run's. */
    private static String summary(Path resultsDir) throws IOException {
        StringBuilder s = new StringBuilder("## Latest figures\n\n");
        s.append("| workload | store | writers | events | Factum events/s | limit | limit events/s | ratio | goal |\n");
        s.append("|---|---|---:|---:|---:|---|---:|---:|---|\n");
        ObjectMapper mapper = new ObjectMapper();
        for (String id : THROUGHPUT) {
            Path file = resultsDir.resolve(id + ".json");
            if (!Files.exists(file)) continue;
            var json = mapper.readTree(file.toFile());
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %,d | %s | %,d | **%.3f** | %s |%n", id,
                    json.path("store").asText(), json.path("writers").asInt(), json.path("events").asLong(),
                    json.path("factum").path("events_per_s").asLong(), json.path("limit").path("name").asText(),
                    json.path("limit").path("events_per_s").asLong(), json.path("ratio").asDouble(),
                    GOALS.getOrDefault(id, "")));
        }
        s.append("\nRatio = Factum ÷ limit (above 1: Factum is faster than the raw driver). Goals are those of issue 2,"
                + " for the benchmark only. Details and the exact commands below.\n");
        s.append(LatencyReport.summary(resultsDir));
        s.append(SagaWorkload.summary(resultsDir));
        return s.toString();
    }

    private String section() {
        Histogram f = Harness.Outcome.merged(outcome.factum());
        Histogram l = Harness.Outcome.merged(outcome.limit());
        StringBuilder s = new StringBuilder();
        s.append("## ").append(workload.id()).append(" — ").append(workload.title()).append("\n\n");
        s.append("Command: `").append(options.command()).append("` — run ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("\n\n");
        s.append(String.format(Locale.ROOT, "%s, %,d events per run, %d interleaved %s per side after a"
                        + " %,d-event warm-up of each; one operation = %s. The whole run took %.1f min.%n%n",
                workload.concurrency(), options.events(), options.rounds(),
                options.rounds() == 1 ? "round" : "rounds", options.warmupEvents(), workload.operation(),
                elapsedNanos / 60e9));
        s.append("| side | events/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n");
        s.append(String.format(Locale.ROOT, "| Factum | %,.0f | %.3f | %.3f |%n",
                Harness.Outcome.medianEventsPerSecond(outcome.factum()), p(f, 50), p(f, 99)));
        s.append(String.format(Locale.ROOT, "| limit: %s | %,.0f | %.3f | %.3f |%n", workload.limitName(),
                Harness.Outcome.medianEventsPerSecond(outcome.limit()), p(l, 50), p(l, 99)));
        s.append(String.format(Locale.ROOT, "%n**Ratio Factum ÷ limit: %.3f** (median of the rounds' ratios: %s).%n%n",
                outcome.ratio(), roundRatios()));
        s.append("Rounds, events/s Factum / limit: ").append(roundThroughputs()).append(".\n\n");
        if (cpuText(outcome.factum()).isPresent() && cpuText(outcome.limit()).isPresent()) {
            s.append("CPU during the measured runs (medians of the runs): Factum ").append(cpuText(outcome.factum()).get())
                    .append("; limit ").append(cpuText(outcome.limit()).get()).append(". JVM: the benchmark's process"
                            + " (Factum or the client library, and the benchmark itself); other: every other process on"
                            + " the machine (the broker and the store's server among them).\n\n");
        }
        s.append("Machine: ").append(machine).append("; 1-minute load average ").append(load)
                .append(" (above nproc: other processes competed for the cores).\n\n");
        s.append(workload.description().strip()).append("\n");
        if (!breakdown.isEmpty()) {
            s.append("\nWhere the Factum side's time goes (one run each after the rounds, not interleaved; compare with"
                    + " the figures above):\n\n");
            breakdown.forEach(line -> s.append("* ").append(line).append("\n"));
        }
        return s.toString();
    }

    /** The CPU figures of a side's runs in its JSON object, where the workload measured them (W4). */
    private static void putCpu(Map<String, Object> side, List<Measurement> runs) {
        if (runs.isEmpty() || runs.stream().anyMatch(m -> m.cpu().isEmpty())) return;
        side.put("jvm_cpu_us_per_event", round3(Harness.median(runs.stream()
                .mapToDouble(m -> m.cpu().get().jvmCpuNanos() / 1e3 / m.events()).toArray())));
        side.put("machine_cpu_busy", round3(Harness.median(runs.stream()
                .mapToDouble(m -> m.cpu().get().machineBusy()).toArray())));
    }

    /** CPU use of a side's measured runs, where the workload measured it (W4): medians of the runs. */
    private static java.util.Optional<String> cpuText(List<Measurement> runs) {
        if (runs.isEmpty() || runs.stream().anyMatch(m -> m.cpu().isEmpty())) return java.util.Optional.empty();
        double perEvent = Harness.median(runs.stream().mapToDouble(m -> m.cpu().get().jvmCpuNanos() / 1e3 / m.events())
                .toArray());
        double machineBusy = Harness.median(runs.stream().mapToDouble(m -> m.cpu().get().machineBusy()).toArray());
        double jvmBusy = Harness.median(runs.stream().mapToDouble(m -> m.cpu().get().jvmBusy()).toArray());
        double other = Harness.median(runs.stream()
                .mapToDouble(m -> Math.max(0, m.cpu().get().machineBusy() - m.cpu().get().jvmBusy())).toArray());
        return java.util.Optional.of(String.format(Locale.ROOT, "JVM CPU %.1f µs per event, machine %.0f %% busy (JVM"
                + " %.0f, other %.0f)", perEvent, machineBusy * 100, jvmBusy * 100, other * 100));
    }

    private String roundRatios() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < outcome.factum().size(); i++) {
            if (i > 0) s.append(", ");
            s.append(String.format(Locale.ROOT, "%.3f",
                    outcome.factum().get(i).eventsPerSecond() / outcome.limit().get(i).eventsPerSecond()));
        }
        return s.toString();
    }

    private String roundThroughputs() {
        return java.util.stream.IntStream.range(0, outcome.factum().size())
                .mapToObj(i -> String.format(Locale.ROOT, "%,.0f / %,.0f", outcome.factum().get(i).eventsPerSecond(),
                        outcome.limit().get(i).eventsPerSecond()))
                .collect(Collectors.joining("; "));
    }

    private static double p(Histogram h, double percentile) {
        return Harness.millis(h.getValueAtPercentile(percentile));
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
