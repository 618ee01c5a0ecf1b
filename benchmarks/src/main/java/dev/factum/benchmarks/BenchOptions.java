// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Command-line options of a benchmark run. Defaults are those of BENCHMARKS.md for each workload; smaller event
 * counts make a quick run possible.
 *
 * @param events          events per measured run of each side
 * @param warmupEvents    events of the one warm-up run of each side (not reported)
 * @param rounds          measured runs of each side, interleaved Factum, limit, Factum, limit, …
 * @param writers         concurrent writer threads (append workloads)
 * @param batch           events per append (W1b: 100)
 * @param streamsPerWriter streams each writer appends to in turn (distinct from every other writer's)
 * @param poolSize        HikariCP pool size, the same on both sides
 * @param fetchSize       rows per fetch / events per subscription batch (W2)
 * @param pgUrl           PostgreSQL JDBC URL
 * @param sqliteSynchronous SQLite {@code PRAGMA synchronous}, the same on both sides (W1e)
 * @param resultsDir      where {@code <workload>.json} is written
 * @param resultsMd       the RESULTS.md to update, or null not to
 * @param command         the command line, as recorded in RESULTS.md
 * @param store           W3, W4: {@code sqlite} or {@code postgres}
 * @param rate            W3: the W1 maximum in events/s the arrival rates are taken from; 0 = calibrate it in the run
 * @param seconds         W3: length of each measured run at the fixed arrival rate
 * @param warmupSeconds   W3: length of the warm-up run of each side at each load level
 * @param calibrationEvents W3: events of each calibration run (W1's Factum side, {@code writers} writers)
 * @param transport       W4: {@code rabbitmq} or {@code kafka}
 * @param rabbitUri       W4: the RabbitMQ broker
 * @param kafkaBootstrap  W4: the Kafka bootstrap servers
 * @param relayBatch      W4: events per relay batch, and per confirm wait of the RabbitMQ limit
 * @param participants    W5: {@code local} (the saga's actions write the participants' events themselves) or
 *                        {@code transport} (requests and replies through an {@code InProcessTransport}, as the
 *                        shop's order saga reaches its participants)
 */
record BenchOptions(String workload, long events, long warmupEvents, int rounds, int writers, int batch,
                    int streamsPerWriter, int poolSize, int fetchSize, String pgUrl, String sqliteSynchronous,
                    Path resultsDir, Path resultsMd, String command, String store, double rate, double seconds,
                    double warmupSeconds, long calibrationEvents, String transport, String rabbitUri,
                    String kafkaBootstrap, int relayBatch, String participants) {

    static final String USAGE = """
            usage: benchmarks/run <W1|W1b|W1e|W2|W3|W4|W5> [options]
              --events N              events per measured run of each side (W1, W1b 200000; W1e 50000;
                                      W2 1000000 = the events seeded and read; W4 200000 = the events seeded
                                      and relayed; W5 10000 = sagas per run)
              --warmup-events N       events of the warm-up run of each side (default: a tenth of --events;
                                      W4: --events)
              --rounds N              measured runs of each side, interleaved A B A B … (default 3, at least 1)
              --writers N             concurrent writers (default 16; W5: sagas in flight)
              --streams-per-writer N  distinct streams each writer cycles through (default 100)
              --pool-size N           HikariCP pool size on both sides (default 16)
              --fetch-size N          W2: rows per fetch = events per subscription batch (default 1000)
              --pg-url URL            PostgreSQL (default $FACTUM_BENCH_PG_URL, $FACTUM_TEST_PG_URL or
                                      jdbc:postgresql://127.0.0.1:5432/test?user=postgres)
              --sqlite-synchronous S  W1e, W3: OFF, NORMAL, FULL or EXTRA on both sides (default FULL, the store's
                                      default)
              --store S               W3, W4: sqlite (default) or postgres
              --transport T           W4 (required): rabbitmq or kafka
              --rabbitmq URI          W4: the broker (default $FACTUM_BENCH_RABBITMQ_URI, $FACTUM_TEST_RABBITMQ_URI
                                      or amqp://guest:guest@127.0.0.1:5672)
              --kafka HOST:PORT       W4: bootstrap servers (default $FACTUM_BENCH_KAFKA_BOOTSTRAP,
                                      $FACTUM_TEST_KAFKA_BOOTSTRAP or 127.0.0.1:9092; start one with kafka/run)
              --relay-batch N         W4: events per relay batch = per confirm wait of the RabbitMQ limit (default
                                      500, the Relay's default)
              --participants P        W5: local (default: each step's action writes the participant's event) or
                                      transport (participants are SagaParticipant consumers on an
                                      InProcessTransport over the same store, replies through engine.replyHandler(),
                                      as the shop's order saga); results/W5-transport.json
              --rate N                W3: take N events/s as the W1 maximum instead of calibrating it in the run
              --seconds N             W3: length of each measured run at a fixed arrival rate (default 10)
              --warmup-seconds N      W3: length of the warm-up run of each side at each load (default 3)
              --calibration-events N  W3: events of each calibration run, W1's Factum side (default 30000)
              --results DIR           where <workload>.json goes (default benchmarks/results)
              --results-md FILE       the RESULTS.md to update (default benchmarks/RESULTS.md)
              --no-results-md         do not update it (e.g. for a quick trial run)
            """;

    static BenchOptions parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) throw new IllegalArgumentException("no workload given");
        String workload = switch (args[0].toUpperCase(Locale.ROOT)) {
            case "W1" -> "W1";
            case "W1B" -> "W1b";
            case "W1E" -> "W1e";
            case "W2" -> "W2";
            case "W3" -> "W3";
            case "W4" -> "W4";
            case "W5" -> "W5";
            default -> throw new IllegalArgumentException("unknown workload '" + args[0] + "' (W1, W1b, W1e, W2, W3, W4, W5)");
        };
        // W1e: BENCHMARKS.md says 200k, but the raw side (one fsync per row on SQLite) runs at 1-9k rows/s on a
        // 2-core VM, which makes 3+3 rounds of 200k take 5-15 minutes; --events 200000 runs the full size
        long events = switch (workload) {
            case "W2" -> 1_000_000;
            case "W1e" -> 50_000;
            case "W5" -> 10_000; // sagas, not events
            default -> 200_000;
        };
        long warmup = -1;
        int rounds = 3, writers = 16, streams = 100, pool = 16, fetch = 1000;
        String pgUrl = firstNonBlank(System.getenv("FACTUM_BENCH_PG_URL"), System.getenv("FACTUM_TEST_PG_URL"),
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        String sync = "FULL";
        Path results = Path.of("benchmarks", "results");
        Path md = Path.of("benchmarks", "RESULTS.md");
        String store = null;
        double rate = 0, seconds = 10, warmupSeconds = 3;
        long calibrationEvents = 30_000;
        String transport = null;
        String rabbitUri = firstNonBlank(System.getenv("FACTUM_BENCH_RABBITMQ_URI"),
                System.getenv("FACTUM_TEST_RABBITMQ_URI"), "amqp://guest:guest@127.0.0.1:5672");
        String kafkaBootstrap = firstNonBlank(System.getenv("FACTUM_BENCH_KAFKA_BOOTSTRAP"),
                System.getenv("FACTUM_TEST_KAFKA_BOOTSTRAP"), "127.0.0.1:9092");
        int relayBatch = 500;
        String participants = null;
        StringBuilder command = new StringBuilder("benchmarks/run ").append(workload);
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            command.append(' ').append(option);
            if (option.equals("--no-results-md")) {
                md = null;
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException(option + " needs a value");
            String value = args[++i];
            command.append(' ').append(option.equals("--pg-url") || option.equals("--rabbitmq") ? "<url>" : value);
            try {
                switch (option) {
                    case "--events" -> events = positive(option, Long.parseLong(value));
                    case "--warmup-events" -> warmup = Long.parseLong(value);
                    case "--rounds" -> rounds = (int) positive(option, Integer.parseInt(value));
                    case "--writers" -> writers = (int) positive(option, Integer.parseInt(value));
                    case "--streams-per-writer" -> streams = (int) positive(option, Integer.parseInt(value));
                    case "--pool-size" -> pool = (int) positive(option, Integer.parseInt(value));
                    case "--fetch-size" -> fetch = (int) positive(option, Integer.parseInt(value));
                    case "--pg-url" -> pgUrl = value;
                    case "--sqlite-synchronous" -> sync = value.toUpperCase(Locale.ROOT);
                    case "--results" -> results = Path.of(value);
                    case "--results-md" -> md = Path.of(value);
                    case "--store" -> store = value.toLowerCase(Locale.ROOT);
                    case "--rate" -> rate = positive(option, Double.parseDouble(value));
                    case "--seconds" -> seconds = positive(option, Double.parseDouble(value));
                    case "--warmup-seconds" -> warmupSeconds = positive(option, Double.parseDouble(value));
                    case "--calibration-events" -> calibrationEvents = positive(option, Long.parseLong(value));
                    case "--transport" -> transport = value.toLowerCase(Locale.ROOT);
                    case "--rabbitmq" -> rabbitUri = value;
                    case "--kafka" -> kafkaBootstrap = value;
                    case "--relay-batch" -> relayBatch = (int) positive(option, Integer.parseInt(value));
                    case "--participants" -> participants = value.toLowerCase(Locale.ROOT);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, was '" + value + "'");
            }
        }
        if (!sync.matches("OFF|NORMAL|FULL|EXTRA")) throw new IllegalArgumentException("--sqlite-synchronous " + sync);
        if (store != null && !workload.matches("W3|W4")) {
            throw new IllegalArgumentException("--store is for W3 and W4 only (" + workload + " has a fixed store)");
        }
        if (transport != null && !workload.equals("W4")) {
            throw new IllegalArgumentException("--transport is for W4 only");
        }
        if (workload.equals("W4")) {
            if (transport == null) throw new IllegalArgumentException("W4 needs --transport rabbitmq or --transport kafka");
            if (!transport.matches("rabbitmq|kafka")) {
                throw new IllegalArgumentException("--transport must be rabbitmq or kafka, was '" + transport + "'");
            }
            if (relayBatch > 10_000) {
                throw new IllegalArgumentException("--relay-batch must be at most 10000 (the Relay's limit), was "
                        + relayBatch);
            }
        }
        if (participants != null && !workload.equals("W5")) {
            throw new IllegalArgumentException("--participants is for W5 only");
        }
        if (participants == null) participants = "local";
        if (!participants.matches("local|transport")) {
            throw new IllegalArgumentException("--participants must be local or transport, was '" + participants + "'");
        }
        if (store == null) store = "sqlite";
        if (!store.matches("sqlite|postgres")) {
            throw new IllegalArgumentException("--store must be sqlite or postgres, was '" + store + "'");
        }
        int batch = workload.equals("W1b") ? 100 : 1;
        // W4: a run of Kafka lasts 1-3 s, too short for a tenth of it to settle the JIT (in a trial the limit went from
        // 191k to 472k events/s over three rounds after a 20k-event warm-up); its warm-up is one full run of each side
        if (warmup < 0) warmup = workload.equals("W4") ? events : Math.max(batch * writers, events / 10);
        return new BenchOptions(workload, events, warmup, rounds, writers, batch, streams, pool, fetch, pgUrl, sync,
                results, md, command.toString(), store, rate, seconds, warmupSeconds, calibrationEvents, transport,
                rabbitUri, kafkaBootstrap, relayBatch, participants);
    }

    private static long positive(String option, long value) {
        if (value < 1) throw new IllegalArgumentException(option + " must be at least 1, was " + value);
        return value;
    }

    private static double positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be a positive number, was " + value);
        }
        return value;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        throw new IllegalStateException();
    }
}
