// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.factum.aggregate.Repository;
import dev.factum.command.CommandBus;
import dev.factum.event.NewEvent;
import dev.factum.event.codec.MetadataCodec;
import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;
import dev.factum.query.QueryBus;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.sqlite.SqliteSynchronous;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.Projections;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * W3: command → read model visible, open-loop at fixed arrival rates, on SQLite or PostgreSQL. Factum: each command
 * is sent on a {@link CommandBus} whose handler runs a {@link Repository} of {@link BenchOrder} (load, decide, append),
 * the {@link OrderRows} projection writes the order's row in its checkpoint transaction, the sender waits with
 * {@link Projections#awaitCheckpoint} until the checkpoint passes the command's position and then asks the
 * {@link QueryBus} once for the row, which must be there. Limit (the floor): the same event row inserted with the raw
 * driver and committed, at the same arrival rate. Latency is per command from its due time to the moment it is
 * visible (Factum) or committed (limit); see {@link OpenLoop}.
 */
final class ReadModelWorkload implements Workload {
    /** The loads of BENCHMARKS.md: fractions of the W1 maximum. */
    static final List<Double> LOADS = List.of(0.5, 0.9);
    /** The goals of issue 2 for the p99 at 50 % of the W1 maximum, in ms. */
    static final Map<String, Double> GOAL_P99_MS = Map.of("sqlite", 10.0, "postgres", 15.0);
    static final String COMMAND = "command (send → append committed, result back)";
    static final String PROJECTION = "projection (→ checkpoint passed the command's position)";
    static final String QUERY = "query (QueryBus → SELECT of the row)";
    static final String CONNECTION_WAIT = "connection wait (limit: lock / pool checkout)";
    static final String INSERT_COMMIT = "INSERT + COMMIT (limit)";
    private static final String FACTUM_SCHEMA = "bench_w3_factum";
    private static final String RAW_SCHEMA = "bench_w3_raw";
    private static final Duration DRAIN = Duration.ofMinutes(5);
    private static final Duration AWAIT = Duration.ofMinutes(2);

    private final BenchOptions o;
    private final Path dir;
    /** W1e's workload: its Factum side calibrates the SQLite maximum, its raw connection is the SQLite floor's. */
    private final SqliteAppendWorkload w1e;
    private double w1Max;
    private String w1MaxSource;
    private double rate;

    ReadModelWorkload(BenchOptions options) throws Exception {
        this.o = options;
        this.dir = Files.createTempDirectory("factum-bench-w3");
        this.w1e = sqlite() ? new SqliteAppendWorkload(options) : null;
    }

    private boolean sqlite() {
        return o.store().equals("sqlite");
    }

    @Override
    public String id() {
        return "W3";
    }

    @Override
    public String resultId() {
        return "W3-" + o.store();
    }

    @Override
    public String title() {
        return "command → read model visible, open loop at 50 % and 90 % of the W1 maximum, "
                + (sqlite() ? "embedded SQLite (synchronous=" + o.sqliteSynchronous() + ")" : "PostgreSQL");
    }

    @Override
    public String store() {
        return o.store();
    }

    /** The writers of the calibration; the W3 runs themselves are open loop (see the in-flight figures). */
    @Override
    public int writers() {
        return o.writers();
    }

    @Override
    public String limitName() {
        return sqlite() ? "raw-sqlite-jdbc-insert-commit" : "raw-jdbc-insert-commit";
    }

    @Override
    public String operation() {
        return "one command, from its due time until a query sees its row (limit: until its INSERT + COMMIT returned)";
    }

    @Override
    public String machine() throws Exception {
        return sqlite() ? w1e.machine() : Machine.client() + ", " + Pg.serverSettings(o.pgUrl()) + ", HikariCP pools of "
                + o.poolSize();
    }

    /** The W1 maximum the arrival rates are fractions of, in events/s; known after {@link #setUp()}. */
    double w1Max() {
        return w1Max;
    }

    /** Where {@link #w1Max()} comes from: calibrated in this run, or given with {@code --rate}. */
    String w1MaxSource() {
        return w1MaxSource;
    }

    /** Sets the arrival rate of the sides' next runs, in commands/s. */
    void rate(double commandsPerSecond) {
        this.rate = commandsPerSecond;
    }

    /** Measures the W1 maximum of the same store with W1's own Factum side, unless {@code --rate} fixed it. */
    @Override
    public void setUp() throws Exception {
        if (o.rate() > 0) {
            w1Max = o.rate();
            w1MaxSource = String.format(Locale.ROOT, "given with `--rate %s`, not measured in this run",
                    java.math.BigDecimal.valueOf(o.rate()).stripTrailingZeros().toPlainString());
            Harness.log("W3: W1 maximum %,.0f events/s, %s", w1Max, w1MaxSource.replace("`", ""));
            return;
        }
        Side w1 = sqlite() ? w1e.factum() : new PgAppendWorkload(o).factum();
        String which = sqlite() ? "W1e" : "W1";
        Harness.log("W3: calibrating the W1 maximum with %s's Factum side: %d writers, %,d events per run", which,
                o.writers(), o.calibrationEvents());
        Measurement warm = w1.run(Math.max(o.writers(), o.calibrationEvents() / 10));
        Harness.log("  warm-up   %,10.0f events/s", warm.eventsPerSecond());
        double[] runs = new double[3];
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < runs.length; i++) {
            runs[i] = w1.run(o.calibrationEvents()).eventsPerSecond();
            Harness.log("  run %d     %,10.0f events/s", i + 1, runs[i]);
            each.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", runs[i]));
        }
        w1Max = Harness.median(runs);
        w1MaxSource = String.format(Locale.ROOT, "calibrated in this run: %s's Factum side (`EventStore.append` of 1"
                        + " event, %d writers on distinct streams, a fresh store), median of 3 runs of %,d events after"
                        + " a warm-up: %s events/s", which, o.writers(), o.calibrationEvents(), each);
        Harness.log("W3: W1 maximum %,.0f events/s (median)", w1Max);
    }

    @Override
    public Side factum() {
        return events -> factumRun(Math.toIntExact(events));
    }

    @Override
    public Side limit() {
        return events -> sqlite() ? sqliteLimitRun(Math.toIntExact(events)) : pgLimitRun(Math.toIntExact(events));
    }

    /** One run of the whole path on a fresh store: command bus → repository → store → projection → query. */
    private Measurement factumRun(int commands) throws Exception {
        OrderPlaced[] orders = new OrderPlaced[commands];
        for (int i = 0; i < commands; i++) orders[i] = AppendPlan.payload(i);
        Path file = dir.resolve("factum.db");
        EventStore store;
        CheckpointStore checkpoints;
        if (sqlite()) {
            SqliteAppendWorkload.deleteDb(file);
            SqliteEventStore s = SqliteEventStore.open(SqliteConfig.of(file)
                    .withSynchronous(SqliteSynchronous.valueOf(o.sqliteSynchronous())));
            store = s;
            checkpoints = s.checkpointStore();
        } else {
            Pg.dropSchema(o.pgUrl(), FACTUM_SCHEMA);
            PostgresEventStore p = PostgresEventStore.open(PostgresConfig.of(o.pgUrl()).withSchema(FACTUM_SCHEMA)
                    .withMaxPoolSize(o.poolSize()));
            store = p;
            checkpoints = p.checkpointStore();
        }
        OrderRows rows = new OrderRows(sqlite() ? Optional.empty() : Optional.of(FACTUM_SCHEMA));
        Measurement m;
        try (store; Projections projections = Projections.builder(store, checkpoints).add(rows).build();
             HikariDataSource queries = queryPool(sqlite() ? "jdbc:sqlite:" + file.toAbsolutePath() : o.pgUrl())) {
            projections.start();
            Repository<BenchOrder.State, OrderPlaced, BenchOrder.Place> repository =
                    Repository.of(BenchOrder.AGGREGATE, store);
            CommandBus commandBus = CommandBus.builder()
                    .handler(BenchOrder.Place.class, (command, context) -> repository
                            .handle(command.order().orderId(), command, context.eventMetadata())
                            .append().orElseThrow().lastPosition())
                    .build();
            QueryBus queryBus = QueryBus.builder().handler(OrderRows.ById.class, rows.byId(queries, projections)).build();
            Histogram command = Measurement.newConcurrentHistogram();
            Histogram projection = Measurement.newConcurrentHistogram();
            Histogram query = Measurement.newConcurrentHistogram();
            Map<String, Histogram> parts = new LinkedHashMap<>();
            parts.put(COMMAND, command);
            parts.put(PROJECTION, projection);
            parts.put(QUERY, query);
            m = OpenLoop.run(rate, commands, parts, DRAIN, (i, due) -> {
                OrderPlaced order = orders[i];
                long sent = System.nanoTime();
                Position position = commandBus.send(new BenchOrder.Place(order));
                long appended = System.nanoTime();
                if (!projections.awaitCheckpoint(OrderRows.NAME, position, AWAIT)) {
                    throw new IllegalStateException("the projection did not reach position " + position + " within "
                            + AWAIT.toSeconds() + " s: " + projections.status(OrderRows.NAME));
                }
                long passed = System.nanoTime();
                Optional<OrderRows.Row> row = queryBus.ask(new OrderRows.ById(order.orderId()));
                long seen = System.nanoTime();
                if (row.isEmpty() || row.get().position() != position.value()) {
                    throw new IllegalStateException("the checkpoint passed position " + position + " but the query for "
                            + order.orderId() + " answered " + row);
                }
                command.recordValue(Math.max(1_000L, appended - sent));
                projection.recordValue(Math.max(1_000L, passed - appended));
                query.recordValue(Math.max(1_000L, seen - passed));
            });
            long shown = count(queries, rows.table(projections.activeGeneration(OrderRows.NAME)));
            if (shown != commands) {
                throw new IllegalStateException("the read model holds " + shown + " rows after the run, expected "
                        + commands);
            }
        }
        if (sqlite()) {
            w1e.check(file, commands);
            SqliteAppendWorkload.deleteDb(file);
        } else {
            long stored = Pg.count(o.pgUrl(), FACTUM_SCHEMA + ".events");
            if (stored != commands) {
                throw new IllegalStateException(FACTUM_SCHEMA + ".events holds " + stored + " events, expected " + commands);
            }
            Pg.dropSchema(o.pgUrl(), FACTUM_SCHEMA);
        }
        return m;
    }

    /** SQLite's floor: W1e's raw side (one connection taken in turn, same PRAGMAs), driven at the arrival rate. */
    private Measurement sqliteLimitRun(int commands) throws Exception {
        AppendPlan.Row[] rows = rawRows(commands);
        Path file = dir.resolve("raw.db");
        SqliteAppendWorkload.deleteDb(file);
        Histogram wait = Measurement.newConcurrentHistogram();
        Histogram commit = Measurement.newConcurrentHistogram();
        ReentrantLock turn = new ReentrantLock();
        Measurement m;
        try (Connection c = w1e.open(file)) {
            try (Statement s = c.createStatement()) {
                for (String ddl : SqliteAppendWorkload.RAW_SCHEMA) s.execute(ddl);
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(SqliteAppendWorkload.INSERT)) {
                m = OpenLoop.run(rate, commands, parts(wait, commit), DRAIN, (i, due) -> {
                    AppendPlan.Row row = rows[i];
                    long asked = System.nanoTime();
                    turn.lock();
                    try {
                        long got = System.nanoTime();
                        ps.setString(1, row.stream().toString());
                        ps.setString(2, row.stream().category());
                        ps.setLong(3, row.version());
                        ps.setString(4, row.event().eventId().toString());
                        ps.setString(5, row.event().type());
                        ps.setString(6, row.event().data());
                        ps.setString(7, row.metadataJson());
                        ps.setLong(8, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
                        ps.executeUpdate();
                        c.commit();
                        wait.recordValue(Math.max(1_000L, got - asked));
                        commit.recordValue(Math.max(1_000L, System.nanoTime() - got));
                    } finally {
                        turn.unlock();
                    }
                });
            }
        }
        w1e.check(file, commands);
        SqliteAppendWorkload.deleteDb(file);
        return m;
    }

    /** PostgreSQL's floor: W1's raw side (a HikariCP pool, one INSERT + COMMIT each), driven at the arrival rate. */
    private Measurement pgLimitRun(int commands) throws Exception {
        AppendPlan.Row[] rows = rawRows(commands);
        Pg.createRawSchema(o.pgUrl(), RAW_SCHEMA);
        Histogram wait = Measurement.newConcurrentHistogram();
        Histogram commit = Measurement.newConcurrentHistogram();
        String sql = "INSERT INTO " + RAW_SCHEMA + ".events (stream, category, version, event_id, type, data, metadata)"
                + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)";
        Measurement m;
        try (HikariDataSource pool = Pg.pool(o.pgUrl(), o.poolSize(), "bench-w3-raw")) {
            m = OpenLoop.run(rate, commands, parts(wait, commit), DRAIN, (i, due) -> {
                AppendPlan.Row row = rows[i];
                long asked = System.nanoTime();
                try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                    long got = System.nanoTime();
                    ps.setString(1, row.stream().toString());
                    ps.setString(2, row.stream().category());
                    ps.setLong(3, row.version());
                    ps.setObject(4, row.event().eventId());
                    ps.setString(5, row.event().type());
                    ps.setString(6, row.event().data());
                    ps.setString(7, row.metadataJson());
                    ps.executeUpdate();
                    c.commit();
                    wait.recordValue(Math.max(1_000L, got - asked));
                    commit.recordValue(Math.max(1_000L, System.nanoTime() - got));
                }
            });
        }
        long stored = Pg.count(o.pgUrl(), RAW_SCHEMA + ".events");
        if (stored != commands) {
            throw new IllegalStateException(RAW_SCHEMA + ".events holds " + stored + " events, expected " + commands);
        }
        Pg.dropSchema(o.pgUrl(), RAW_SCHEMA);
        return m;
    }

    private static Map<String, Histogram> parts(Histogram wait, Histogram commit) {
        Map<String, Histogram> parts = new LinkedHashMap<>();
        parts.put(CONNECTION_WAIT, wait);
        parts.put(INSERT_COMMIT, commit);
        return parts;
    }

    /** The rows the floor inserts: the event each command's order becomes, one new stream per command. */
    private static AppendPlan.Row[] rawRows(int commands) {
        AppendPlan.Row[] rows = new AppendPlan.Row[commands];
        for (int i = 0; i < commands; i++) {
            OrderPlaced order = AppendPlan.payload(i);
            NewEvent event = AppendPlan.CODEC.encode(order);
            rows[i] = new AppendPlan.Row(StreamId.of(BenchOrder.CATEGORY, order.orderId()), 1, event,
                    MetadataCodec.toJson(event.metadata()));
        }
        return rows;
    }

    /** The queries' connections: a HikariCP pool of {@code --pool-size}, auto-commit on (each SELECT sees the latest). */
    private HikariDataSource queryPool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(o.poolSize());
        config.setMinimumIdle(o.poolSize());
        config.setPoolName("bench-w3-queries");
        return new HikariDataSource(config);
    }

    private static long count(HikariDataSource pool, String table) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public String description() {
        String store = sqlite()
                ? "`SqliteEventStore.open(SqliteConfig.of(file).withSynchronous(SqliteSynchronous." + o.sqliteSynchronous()
                + "))` on a fresh file per run (its default 4 read connections), checkpoints in the same file"
                + " (`checkpointStore()`, sharing the store's one writer connection with the appends)"
                : "`PostgresEventStore.open(PostgresConfig.of(url).withSchema(\"" + FACTUM_SCHEMA + "\").withMaxPoolSize("
                + o.poolSize() + "))` in a fresh schema per run, checkpoints in the same schema (`checkpointStore()`)";
        String floor = sqlite()
                ? "W1e's raw side at the same arrival rate: sqlite-jdbc on a fresh file with the store's table, index and"
                + " PRAGMAs, one connection taken in turn (a `ReentrantLock`) by the arriving commands, each one"
                + " `INSERT` of the event row + `COMMIT`"
                : "W1's raw side at the same arrival rate: plain JDBC from a HikariCP pool of " + o.poolSize()
                + " connections, each arriving command one `INSERT` of the event row + `COMMIT` into a table shaped"
                + " like the store's `events` (schema `" + RAW_SCHEMA + "`)";
        return """
                Factum: %1$s. Each run builds, outside the clock, a `CommandBus` with one handler that calls \
                `Repository.of(aggregate, store).handle(orderId, command, context.eventMetadata())` and answers the \
                event's position; the aggregate (local to the benchmarks) places an order once, so each command \
                reads its empty stream and appends one `OrderPlaced` (the JSON of W1) with `noStream()`. \
                `Projections` (defaults: batches of up to 500 events) runs one projection that inserts the order's \
                row into `bench_orders_g1` through the checkpoint's transaction (one batched `INSERT` per batch). \
                Per command, on a virtual thread of its own: `CommandBus.send`, then \
                `Projections.awaitCheckpoint(name, position, …)` (woken by each checkpoint commit, no polling of \
                SQL), then one `QueryBus.ask` whose handler runs a `SELECT` of the row on a HikariCP pool of %2$d \
                connections and must find it (the run fails otherwise); every run checks afterwards that the store \
                holds every event and the read model every row. The time of a command runs from its due time (one \
                platform thread starts the commands at the fixed arrival rate) until the query returned the row. \
                Limit (the floor): %3$s; its time runs from the due time until the commit returned. Both sides write \
                the same event JSON (`OrderPlaced`, about 200 bytes), one new stream per command.
                """.formatted(store, o.poolSize(), floor);
    }

    @Override
    public void close() throws java.sql.SQLException, java.io.IOException {
        if (w1e != null) w1e.close();
        for (String name : new String[]{"factum.db", "raw.db"}) SqliteAppendWorkload.deleteDb(dir.resolve(name));
        Files.deleteIfExists(dir);
        if (!sqlite()) {
            Pg.dropSchema(o.pgUrl(), FACTUM_SCHEMA);
            Pg.dropSchema(o.pgUrl(), RAW_SCHEMA);
        }
    }
}
