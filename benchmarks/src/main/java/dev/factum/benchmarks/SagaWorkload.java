// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaState;
import dev.factum.saga.SagaStatus;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.sqlite.SqliteSynchronous;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * W5: order sagas per second on the embedded default (SQLite, in-process), 4 steps, 3 % injected step failures that
 * must compensate. No external limit (BENCHMARKS.md). The saga is benchmark-local — the shop's {@code OrderSaga}
 * cannot be used here because the build's enforcer rule bans a dependency on {@code factum-shop} from every other
 * module — but has the shop saga's shape: {@code reserve-stock → charge-payment → create-shipment →
 * send-confirmation}, each participant appending one event to a stream of its own (idempotent: a second attempt
 * finds the stream and does nothing), compensations release the stock, refund and cancel the shipment. The payment
 * participant declines a charge with probability {@link #DECLINE_RATE} (seeded, like the shop's payment simulator),
 * which refuses the step and makes the engine compensate the reserved stock. With {@code --participants transport}
 * ({@link TransportSaga}, results {@code W5-transport}) the participants are reached through an
 * {@code InProcessTransport} instead, as the shop's saga reaches them now.
 */
final class SagaWorkload {
    static final double DECLINE_RATE = 0.03;
    private static final long SEED = 5L;
    static final String SAGA = "BenchOrderSaga";
    private static final String ID = "W5";
    private static final String TRANSPORT_ID = "W5-transport";

    /** The saga's data: the order id. */
    public record Order(String orderId) {}

    /**
     * What runs beside the engine: nothing (local participants) or the transport's consumers ({@link TransportSaga}).
     */
    interface Participants extends AutoCloseable {
        /** Nothing runs beside the engine. */
        Participants NONE = new Participants() {
        };

        /** Where the time went in a run of {@code runNanos} with {@code sagas} sagas, one line per part. */
        default List<String> breakdown(long runNanos, int sagas) {
            return List.of();
        }

        /** Messages the participants' consumers turned into dead letters. */
        default long deadLetters() {
            return 0;
        }

        @Override
        default void close() {
        }
    }

    private final BenchOptions o;
    private final Path dir;
    private final boolean transport;
    private final String id;

    SagaWorkload(BenchOptions options) throws IOException {
        this.o = options;
        this.dir = Files.createTempDirectory("factum-bench-w5");
        this.transport = options.participants().equals("transport");
        this.id = transport ? TRANSPORT_ID : ID;
    }

    /** One run's figures. */
    record Run(int sagas, int completed, int compensated, int stuck, int parked, int declined, long nanos,
               Histogram durations, long appends, List<String> problems, List<String> breakdown) {
        double perSecond(int count) {
            return count / (nanos / 1e9);
        }
    }

    /** Runs warm-up and the measured rounds, prints, writes results/W5.json and the RESULTS.md section. */
    void run(long startedNanos) throws Exception {
        String load = Machine.loadAverage();
        String machine = Machine.client() + ", SQLite synchronous=" + o.sqliteSynchronous();
        int sagas = (int) o.events();
        int warmup = (int) Math.max(o.writers(), o.warmupEvents());
        Harness.log("%s — order sagas on SQLite, %s participants; %s; %,d sagas per run, %d in flight, warm-up %,d",
                id, o.participants(), machine, sagas, o.writers(), warmup);
        Run w = once("warmup", warmup);
        Harness.log("warm-up: %,.0f sagas/s, %d stuck", w.perSecond(w.sagas()), w.stuck());
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r < o.rounds(); r++) {
            Run run = once("r" + r, sagas);
            Harness.log("round %d: %,.0f sagas/s (completed %,.0f/s, compensated %,.0f/s), stuck %d, p99 %.1f ms",
                    r + 1, run.perSecond(run.sagas()), run.perSecond(run.completed()), run.perSecond(run.compensated()),
                    run.stuck(), Harness.millis(run.durations().getValueAtPercentile(99)));
            run.breakdown().forEach(line -> Harness.log("  %s", line));
            runs.add(run);
        }
        String loadEnd = Machine.loadAverage();
        Histogram all = new Histogram(3);
        runs.forEach(r -> all.add(r.durations()));
        Run median = runs.stream().sorted((a, b) -> Double.compare(a.perSecond(a.sagas()), b.perSecond(b.sagas())))
                .toList().get(runs.size() / 2);
        int stuck = runs.stream().mapToInt(Run::stuck).sum();
        int parked = runs.stream().mapToInt(Run::parked).sum();
        List<String> problems = runs.stream().flatMap(r -> r.problems().stream()).toList();
        double minutes = (System.nanoTime() - startedNanos) / 60e9;

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("workload", id);
        json.put("participants", o.participants());
        json.put("store", "sqlite");
        json.put("sqlite_synchronous", o.sqliteSynchronous());
        json.put("saga", "benchmark-local 4-step order saga (reserve-stock, charge-payment, create-shipment,"
                + " send-confirmation), " + (transport ? "participants reached through an InProcessTransport on the"
                + " same SQLite store (requests, SagaParticipant consumers, replies through engine.replyHandler())"
                : "local participants appending to the same SQLite store"));
        json.put("in_flight", o.writers());
        json.put("sagas_per_run", sagas);
        json.put("rounds", o.rounds());
        json.put("decline_rate", DECLINE_RATE);
        json.put("sagas_per_s", Math.round(median.perSecond(median.sagas())));
        json.put("completed_per_s", Math.round(median.perSecond(median.completed())));
        json.put("compensated_per_s", Math.round(median.perSecond(median.compensated())));
        json.put("completed", runs.stream().mapToInt(Run::completed).sum());
        json.put("compensated", runs.stream().mapToInt(Run::compensated).sum());
        json.put("declined", runs.stream().mapToInt(Run::declined).sum());
        json.put("stuck", stuck);
        json.put("parked", parked);
        json.put("p50_ms", round3(Harness.millis(all.getValueAtPercentile(50))));
        json.put("p99_ms", round3(Harness.millis(all.getValueAtPercentile(99))));
        json.put("max_ms", round3(Harness.millis(all.getMaxValue())));
        json.put("events_appended_per_saga", round3((double) median.appends() / median.sagas()));
        json.put("goal", "≥ 1,000 sagas/s");
        json.put("machine", machine);
        if (!median.breakdown().isEmpty()) json.put("median_run_breakdown", median.breakdown());
        Files.createDirectories(o.resultsDir());
        Path file = o.resultsDir().resolve(id + ".json");
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json)
                + "\n", StandardCharsets.UTF_8);

        StringBuilder s = new StringBuilder("## " + id + " — order sagas per second, 4 steps, 3 % injected failures"
                + (transport ? ", participants through the transport" : "") + "\n\n");
        s.append("Command: `").append(o.command()).append("` — run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append("\n\n");
        s.append(String.format(Locale.ROOT, "%,d sagas per run, %d in flight (closed loop), %d measured %s after a"
                + " %,d-saga warm-up; SQLite `synchronous=%s`; no external limit (BENCHMARKS.md). The whole run took"
                + " %.1f min.%n%n", sagas, o.writers(), o.rounds(), o.rounds() == 1 ? "run" : "runs", warmup,
                o.sqliteSynchronous(), minutes));
        s.append("| round | sagas/s | completed/s | compensated/s | declined | stuck | parked | p50 ms | p99 ms |\n");
        s.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            s.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %,.0f | %d | %d | %d | %.1f | %.1f |%n", i + 1,
                    r.perSecond(r.sagas()), r.perSecond(r.completed()), r.perSecond(r.compensated()), r.declined(),
                    r.stuck(), r.parked(), Harness.millis(r.durations().getValueAtPercentile(50)),
                    Harness.millis(r.durations().getValueAtPercentile(99))));
        }
        s.append(String.format(Locale.ROOT, "%n**Median run: %,.0f sagas/s (completed %,.0f/s, compensated %,.0f/s);"
                        + " stuck %d, parked %d; saga duration p50 %.1f ms, p99 %.1f ms, max %.1f ms** (one HdrHistogram"
                        + " over all measured sagas). Goal ≥ 1,000 sagas/s: %s. Events appended per saga (engine and participants): %.1f.%n%n",
                median.perSecond(median.sagas()), median.perSecond(median.completed()),
                median.perSecond(median.compensated()), stuck, parked, Harness.millis(all.getValueAtPercentile(50)),
                Harness.millis(all.getValueAtPercentile(99)), Harness.millis(all.getMaxValue()),
                median.perSecond(median.sagas()) >= 1000 ? "met" : "**missed**",
                (double) median.appends() / median.sagas()));
        if (!median.breakdown().isEmpty()) {
            s.append("Where the time went in the median run (per consumer of the transport; handler time summed over"
                    + " the messages handled side by side, and the checkpoint saves, each ÷ the run's time):\n\n");
            median.breakdown().forEach(line -> s.append("* ").append(line).append('\n'));
            s.append('\n');
        }
        if (!problems.isEmpty()) s.append("Problems found by the checks: ").append(String.join("; ", problems)).append(".\n\n");
        s.append("Machine: ").append(machine).append("; 1-minute load average ").append(load).append(" at the start, ")
                .append(loadEnd).append(" at the end (above nproc: other processes competed for the cores).\n\n");
        s.append(transport ? transportDescription() : description());
        Report.updateResultsMd(o, id, s.toString());
        Harness.log("%s: %,.0f sagas/s (completed %,.0f/s, compensated %,.0f/s), stuck %d, p99 %.1f ms; run took %.1f min",
                id, median.perSecond(median.sagas()), median.perSecond(median.completed()),
                median.perSecond(median.compensated()), stuck, Harness.millis(all.getValueAtPercentile(99)), minutes);
        Harness.log("wrote %s%s", file, o.resultsMd() == null ? "" : " and " + o.resultsMd());
        Files.deleteIfExists(dir);
    }

    private static String description() {
        return """
                What runs: one `SagaEngine` (`runInBackground`, woken by the store's commits) over a fresh
                `SqliteEventStore` per run, with the store's dead-letter store. The saga is **benchmark-local**, not
                the shop's `OrderSaga`: the build's enforcer rule bans a dependency on `factum-shop` from every other
                module. It has the shop saga's four steps — `reserve-stock → charge-payment → create-shipment →
                send-confirmation` — with compensations (release stock, refund, cancel shipment) and the shop's retry
                policy (5 attempts, 200 ms exponential to 5 s). Each participant is local and does one durable,
                idempotent write: it appends one event to a stream of its own in the same store (`ExpectedVersion`
                no-stream, so a repeated attempt finds its event and does nothing); a compensation appends one more.
                Injected failures: the payment participant declines a charge with probability 0.03 (seeded
                `SplittableRandom` per saga, like the shop's payment simulator's decline rate): it records the decline
                and refuses the step, and the engine compensates the reserved stock.

                The load is a closed loop: `--writers` sagas in flight, started by as many virtual threads (`start` is
                a durable append; one starting thread would allow one start per commit); a new saga starts when one
                ends. A saga's duration runs from just before `start` until a reader tailing the saga category
                (`readAll`, woken by commits) sees its `SagaCompleted`/`SagaCompensated`/`SagaParked` event; the rate is
                sagas ended ÷ time from the first start to the last end. After each run the checks, not timed: every
                saga's state is folded (`SagaEngine.find`) — stuck = not COMPLETED or COMPENSATED after a 60 s grace,
                parked = NEEDS_ATTENTION — and every participant stream is checked: a completed saga has stock,
                payment, shipment and confirmation recorded once; a compensated one was declined, had its stock
                released, and has no shipment or confirmation.
                """;
    }

    private static String transportDescription() {
        return """
                What runs: the same benchmark-local saga, load and checks as `benchmarks/run W5` (`--participants
                local`, section W5), but its participants are reached only through the transport, in the shape the
                shop's `OrderSaga` has now (commit 0352648; the shop itself cannot be used: the enforcer bans a
                dependency on `factum-shop`). `reserve-stock`, `charge-payment` and `create-shipment` each append their
                request (`SagaMessages.request`) to `BenchStockRequest-`, `BenchPaymentRequest-` or
                `BenchShippingRequest-<id>` in the store — the outbox — and answer `SagaReply.awaiting()`; their
                compensations are requests too (`compensateRemotely`: release, refund, cancel). Three
                `SagaParticipant` consumers (`bench-stock`, `bench-payment`, `bench-shipping`, bound to their request
                category) on an `InProcessTransport` over the same `SqliteEventStore` (its checkpoint and dead-letter
                stores) each do one durable, idempotent write per request — one event to a stream of their own,
                `ExpectedVersion` no-stream, as the local participants do — and append their reply to
                `BenchOrderSagaReply-<id>`; the payment participant refuses 3 % of the charges (`PAYMENT_DECLINED`,
                seeded) and the engine compensates the stock remotely. The charge's and the shipment's results (charge
                id, tracking number) are folded into the saga's data with `onDone`, and the checks verify every
                completed saga's data carries both. The reply consumer (`bench-order-saga-replies`, bound to
                `BenchOrderSagaReply.*`) hands the replies to `engine.replyHandler()`. `send-confirmation` stays
                local, as the shop's is a command of the order's own context. The consumers use the options the
                shop's use (commit 3d24e31): `ConsumerOptions.of` (prefetch 100, the default retry policy)
                `.withConcurrency(16)` — up to 16 streams of a batch handled side by side, each stream in order, and
                the checkpoint saved once per batch. Every consumer's handler and the checkpoint saves are timed (a
                timing wrapper around the handler and around the store's `CheckpointStore`); any dead letter is a
                failed check.
                """;
    }

    private Run once(String name, int sagas) throws Exception {
        Path file = dir.resolve("w5-" + name + ".db");
        SqliteAppendWorkload.deleteDb(file);
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, Boolean> declines = new ConcurrentHashMap<>();
        String[] ids = new String[sagas];
        int declined = 0;
        for (int i = 0; i < sagas; i++) {
            ids[i] = name + "-" + i;
            boolean d = random.nextDouble() < DECLINE_RATE;
            declines.put(ids[i], d);
            if (d) declined++;
        }
        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(file)
                .withSynchronous(SqliteSynchronous.valueOf(o.sqliteSynchronous())))) {
            if (transport) {
                return drive(store, TransportSaga.definition(store), sagaId -> new TransportSaga.Order(sagaId, null, null),
                        engine -> new TransportSaga.Wiring(store, engine, declines), (sagaId, data) ->
                                TransportSaga.chargeId(sagaId).equals(data.chargeId())
                                        && TransportSaga.trackingNumber(sagaId).equals(data.trackingNumber()) ? null
                                        : "completed with data " + data + " (the charge's and the shipment's results"
                                        + " not folded in)", ids, declines, declined);
            }
            return drive(store, definition(store, declines), Order::new, engine -> Participants.NONE,
                    (sagaId, data) -> null, ids, declines, declined);
        } finally { // the store is closed by now; a run's database is 40-200 MB
            SqliteAppendWorkload.deleteDb(file);
        }
    }

    /**
     * Runs the sagas {@code ids} through an engine of {@code definition} with {@code participants} beside it, and
     * checks them; {@code dataProblem} names what is wrong with a completed saga's data, or answers null.
     */
    private <D> Run drive(SqliteEventStore store, SagaDefinition<D> definition, Function<String, D> data,
                          Function<SagaEngine<D>, Participants> participants, BiFunction<String, D, String> dataProblem,
                          String[] ids, Map<String, Boolean> declines, int declined) throws Exception {
        int sagas = ids.length;
        Map<String, Long> started = new ConcurrentHashMap<>();
        Histogram durations = new Histogram(Duration.ofMinutes(10).toNanos(), 3);
        Semaphore inFlight = new Semaphore(o.writers());
        CountDownLatch ended = new CountDownLatch(sagas);
        AtomicLong lastEnd = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        // the tail parks and the commit callback unparks it: the callback runs on the store's commit thread,
        // so it must not wait for a lock the tail holds
        Thread tail = Thread.ofPlatform().name("w5-tail").start(() -> {
            Position cursor = Position.BEGINNING;
            while (!stop.get()) {
                List<RecordedEvent> events = store.readAll(ReadAllOptions.after(cursor).limit(1000).category(SAGA));
                long now = System.nanoTime();
                for (RecordedEvent e : events) {
                    cursor = e.position();
                    if (e.type().equals("SagaCompleted") || e.type().equals("SagaCompensated")
                            || e.type().equals("SagaParked")) {
                        Long t0 = started.get(e.stream().id());
                        if (t0 != null) durations.recordValue(Math.min(now - t0, durations.getHighestTrackableValue()));
                        lastEnd.set(now);
                        ended.countDown();
                        inFlight.release();
                    }
                }
                if (events.isEmpty()) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        });
        AutoCloseable wake = store.onCommit(() -> LockSupport.unpark(tail));
        long appendsBefore = store.headPosition().value();
        long first;
        try (SagaEngine<D> engine = SagaEngine.builder(store, definition).deadLetters(store.deadLetterStore())
                .build().runInBackground();
             Participants beside = participants.apply(engine)) {
            first = System.nanoTime();
            // one starter per saga in flight: start() is a durable append, so a single starter would
            // bound the rate by one commit per saga instead of sharing commits (group commit)
            AtomicInteger next = new AtomicInteger();
            List<Thread> starters = new ArrayList<>();
            for (int t = 0; t < o.writers(); t++) {
                starters.add(Thread.ofVirtual().name("w5-start-" + t).start(() -> {
                    while (true) {
                        try {
                            inFlight.acquire();
                        } catch (InterruptedException e) {
                            return;
                        }
                        int i = next.getAndIncrement();
                        if (i >= ids.length) {
                            inFlight.release();
                            return;
                        }
                        started.put(ids[i], System.nanoTime());
                        engine.start(ids[i], data.apply(ids[i]));
                    }
                }));
            }
            for (Thread starter : starters) starter.join();
            ended.await(60, TimeUnit.SECONDS);
            stop.set(true);
            tail.join();
            wake.close();
            long nanos = lastEnd.get() - first;
            long appends = store.headPosition().value() - appendsBefore;
            List<String> breakdown = beside.breakdown(nanos, sagas);
            Run run = check(engine, store, ids, declines, declined, nanos, durations, appends, breakdown, dataProblem);
            if (beside.deadLetters() > 0) {
                problem(run.problems(), beside.deadLetters() + " messages became dead letters");
            }
            return run;
        }
    }

    private <D> Run check(SagaEngine<D> engine, EventStore store, String[] ids, Map<String, Boolean> declines,
                          int declined, long nanos, Histogram durations, long appends, List<String> breakdown,
                          BiFunction<String, D, String> dataProblem) {
        int completed = 0, compensated = 0, stuck = 0, parked = 0;
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            SagaState<D> state = engine.find(id).orElse(null);
            SagaStatus status = state == null ? null : state.status();
            boolean d = declines.get(id);
            long stock = store.streamVersion(StreamId.of("BenchStock", id));
            long payment = store.streamVersion(StreamId.of("BenchPayment", id));
            long shipment = store.streamVersion(StreamId.of("BenchShipment", id));
            long confirmation = store.streamVersion(StreamId.of("BenchConfirmation", id));
            if (status == SagaStatus.COMPLETED) {
                completed++;
                if (d || stock != 1 || payment != 1 || shipment != 1 || confirmation != 1) problem(problems, id + " completed with stock/payment/shipment/confirmation events " + stock + "/" + payment + "/" + shipment + "/" + confirmation + (d ? " though declined" : ""));
                String wrong = dataProblem.apply(id, state.data());
                if (wrong != null) problem(problems, id + " " + wrong);
            } else if (status == SagaStatus.COMPENSATED) {
                compensated++;
                if (!d || stock != 2 || payment != 1 || shipment != 0 || confirmation != 0) problem(problems, id + " compensated with stock/payment/shipment/confirmation events " + stock + "/" + payment + "/" + shipment + "/" + confirmation + (d ? "" : " though not declined"));
            } else if (status == SagaStatus.NEEDS_ATTENTION) {
                parked++;
            } else {
                stuck++;
            }
        }
        if (compensated != declined) problem(problems, compensated + " sagas compensated but " + declined + " charges declined");
        return new Run(ids.length, completed, compensated, stuck, parked, declined, nanos, durations, appends, problems,
                breakdown);
    }

    private static void problem(List<String> problems, String text) {
        if (problems.size() < 5) problems.add(text);
        Harness.log("W5 check: %s", text);
    }

    private static SagaDefinition<Order> definition(EventStore store, Map<String, Boolean> declines) {
        RetryPolicy steps = RetryPolicy.exponential(5, Duration.ofMillis(200), Duration.ofSeconds(5));
        Duration timeout = Duration.ofSeconds(10);
        return SagaDefinition.builder(SAGA, Order.class)
                .step("reserve-stock").invoke((data, step) -> once(store, "BenchStock", data, "StockReserved"))
                    .compensate((data, step) -> record(store, "BenchStock", data.orderId(), 1, "StockReleased"))
                    .timeout(timeout).retry(steps)
                .step("charge-payment").invoke((data, step) -> {
                    if (declines.get(data.orderId())) {
                        record(store, "BenchPayment", data.orderId(), 0, "PaymentDeclined");
                        return SagaReply.refused("PAYMENT_DECLINED");
                    }
                    return once(store, "BenchPayment", data, "PaymentCharged");
                })
                    .compensate((data, step) -> record(store, "BenchPayment", data.orderId(), 1, "PaymentRefunded"))
                    .timeout(timeout).retry(steps)
                .step("create-shipment").invoke((data, step) -> once(store, "BenchShipment", data, "ShipmentCreated"))
                    .compensate((data, step) -> record(store, "BenchShipment", data.orderId(), 1, "ShipmentCancelled"))
                    .timeout(timeout).retry(steps)
                .step("send-confirmation").invoke((data, step) -> once(store, "BenchConfirmation", data, "OrderConfirmed"))
                    .timeout(timeout).retry(steps)
                .compensationRetry(steps)
                .build();
    }

    private static SagaReply<Order> once(EventStore store, String category, Order data, String type) {
        record(store, category, data.orderId(), 0, type);
        return SagaReply.done(data);
    }

    /** Appends {@code type} as event {@code after + 1} of the participant's stream; already there = done before. */
    static void record(EventStore store, String category, String orderId, long after, String type) {
        try {
            store.append(StreamId.of(category, orderId), after == 0 ? ExpectedVersion.noStream()
                    : ExpectedVersion.exactly(after), List.of(NewEvent.of(type, "{\"orderId\":\"" + orderId + "\"}")));
        } catch (WrongExpectedVersionException e) {
            // an earlier attempt of this step recorded it: idempotent
        }
    }

    /** The summary line of W5 for RESULTS.md, from results/W5.json, or "" if there is none. */
    static String summary(Path resultsDir) throws IOException {
        StringBuilder rows = new StringBuilder();
        for (String id : List.of(ID, TRANSPORT_ID)) {
            Path file = resultsDir.resolve(id + ".json");
            if (!Files.exists(file)) continue;
            var json = new ObjectMapper().readTree(file.toFile());
            rows.append(String.format(Locale.ROOT, "| %s | %s | sqlite (%s) | %d | **%,d** | %,d | %,d | %d | %.1f | %s |%n",
                    id, json.path("participants").asText("local"), json.path("sqlite_synchronous").asText(),
                    json.path("in_flight").asInt(), json.path("sagas_per_s").asLong(),
                    json.path("completed_per_s").asLong(), json.path("compensated_per_s").asLong(),
                    json.path("stuck").asInt(), json.path("p99_ms").asDouble(), json.path("goal").asText()));
        }
        if (rows.isEmpty()) return "";
        return String.format(Locale.ROOT, "%n| saga workload | participants | store | in flight | sagas/s | completed/s"
                + " | compensated/s | stuck | p99 ms | goal |%n|---|---|---|---:|---:|---:|---:|---:|---:|---|%n%s%nW5 has no"
                + " external limit (BENCHMARKS.md); its saga is benchmark-local (see its sections): `local` participants"
                + " are written by the steps' actions, `transport` ones are reached through an InProcessTransport as"
                + " the shop's order saga reaches them.%n", rows);
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
