// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * W1 (1 event per append) and W1b (100 events per append) on PostgreSQL: {@code writers} threads append to distinct
 * streams. Factum appends through the public {@code EventStore.append} with an {@code ExpectedVersion}; the limit
 * inserts the same rows with plain JDBC from a HikariCP pool of the same size, one transaction per append.
 */
final class PgAppendWorkload implements Workload {
    private static final String FACTUM_SCHEMA = "bench_w1_factum";
    private static final String RAW_SCHEMA = "bench_w1_raw";

    private final BenchOptions o;

    PgAppendWorkload(BenchOptions options) {
        this.o = options;
    }

    @Override
    public String id() {
        return o.workload();
    }

    @Override
    public String title() {
        return o.batch() == 1 ? "append 1 event per command, distinct streams, PostgreSQL"
                : "append " + o.batch() + " events per command, distinct streams, PostgreSQL";
    }

    @Override
    public String store() {
        return "postgres";
    }

    @Override
    public int writers() {
        return o.writers();
    }

    @Override
    public String limitName() {
        return o.batch() == 1 ? "raw-jdbc-insert-commit" : "raw-jdbc-multirow-insert-commit";
    }

    @Override
    public String operation() {
        return o.batch() == 1 ? "one append of 1 event (limit: one INSERT + COMMIT)"
                : "one append of " + o.batch() + " events (limit: one " + o.batch() + "-row INSERT + COMMIT)";
    }

    @Override
    public String machine() throws Exception {
        return Machine.client() + ", " + Pg.serverSettings(o.pgUrl()) + ", HikariCP pool " + o.poolSize();
    }

    @Override
    public String description() {
        return """
                Factum: `PostgresEventStore.open(PostgresConfig.of(url).withSchema("%1$s").withMaxPoolSize(%2$d))`, \
                then %3$d platform threads call `EventStore.append(stream, expected, events)` with %4$d event(s) \
                each; writer *w* cycles through its own %5$d streams `Order-w<w>s<k>`, expecting `noStream()` on the \
                first append and `exactly(v)` after (the store's appends go through its one writer connection with \
                group commit; its pool serves reads). The store is created fresh for every run (schema dropped \
                before and after; opening and closing are not timed). Limit: the same rows (same JSON bytes, same \
                event ids, streams and versions) inserted with plain JDBC from a HikariCP pool of %2$d connections \
                by the same %3$d threads, one %6$s and one `COMMIT` per append, into a table with the same columns, \
                JSONB, constraints and indexes as the store's `events` table, `position` from an identity column \
                (no store-wide append lock, so no gap-free order); the harness checks at start-up that both tables \
                have the same columns and index definitions, and after each run that the table holds every event.
                """.formatted(FACTUM_SCHEMA, o.poolSize(), o.writers(), o.batch(), o.streamsPerWriter(),
                o.batch() == 1 ? "single-row `INSERT`" : o.batch() + "-row multi-row `INSERT` statement");
    }

    /** Fails unless the raw table has the store's columns and indexes (the store's schema may have changed). */
    @Override
    public void setUp() throws Exception {
        Pg.dropSchema(o.pgUrl(), FACTUM_SCHEMA);
        PostgresEventStore.open(PostgresConfig.of(o.pgUrl()).withSchema(FACTUM_SCHEMA)).close();
        Pg.createRawSchema(o.pgUrl(), RAW_SCHEMA);
        String store = Pg.eventsTableShape(o.pgUrl(), FACTUM_SCHEMA);
        String raw = Pg.eventsTableShape(o.pgUrl(), RAW_SCHEMA);
        Pg.dropSchema(o.pgUrl(), FACTUM_SCHEMA);
        Pg.dropSchema(o.pgUrl(), RAW_SCHEMA);
        if (store.isBlank() || !store.equals(raw)) {
            throw new IllegalStateException("the raw side's events table no longer matches the store's; update"
                    + " Pg.RAW_EVENTS.\nstore:\n" + store + "raw:\n" + raw);
        }
    }

    @Override
    public Side factum() {
        return events -> {
            AppendPlan plan = AppendPlan.build(o.writers(), events, o.batch(), o.streamsPerWriter());
            Pg.dropSchema(o.pgUrl(), FACTUM_SCHEMA);
            Measurement m;
            PostgresConfig config = PostgresConfig.of(o.pgUrl()).withSchema(FACTUM_SCHEMA).withMaxPoolSize(o.poolSize());
            try (PostgresEventStore store = PostgresEventStore.open(config)) {
                m = Writers.run(o.writers(), AppendPlan.operations(events, o.batch()), o.batch(),
                        (w, i) -> store.append(plan.stream(w, i), plan.expected(w, i), plan.events(w, i)));
            }
            check(FACTUM_SCHEMA, m.events());
            Pg.dropSchema(o.pgUrl(), FACTUM_SCHEMA);
            return m;
        };
    }

    @Override
    public Side limit() {
        return events -> {
            AppendPlan plan = AppendPlan.build(o.writers(), events, o.batch(), o.streamsPerWriter());
            Pg.createRawSchema(o.pgUrl(), RAW_SCHEMA);
            String sql = insertSql(o.batch());
            Measurement m;
            try (HikariDataSource pool = Pg.pool(o.pgUrl(), o.poolSize(), "bench-raw")) {
                m = Writers.run(o.writers(), AppendPlan.operations(events, o.batch()), o.batch(), (w, i) -> {
                    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                        List<AppendPlan.Row> rows = plan.rows(w, i);
                        int p = 1;
                        for (AppendPlan.Row row : rows) {
                            ps.setString(p++, row.stream().toString());
                            ps.setString(p++, row.stream().category());
                            ps.setLong(p++, row.version());
                            ps.setObject(p++, row.event().eventId());
                            ps.setString(p++, row.event().type());
                            ps.setString(p++, row.event().data());
                            ps.setString(p++, row.metadataJson());
                        }
                        ps.executeUpdate();
                        c.commit();
                    }
                });
            }
            check(RAW_SCHEMA, m.events());
            Pg.dropSchema(o.pgUrl(), RAW_SCHEMA);
            return m;
        };
    }

    private static String insertSql(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + RAW_SCHEMA
                + ".events (stream, category, version, event_id, type, data, metadata) VALUES ");
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)");
        }
        return sql.toString();
    }

    private void check(String schema, long expected) throws Exception {
        long stored = Pg.count(o.pgUrl(), schema + ".events");
        if (stored != expected) {
            throw new IllegalStateException(schema + ".events holds " + stored + " events after the run, expected " + expected);
        }
    }

    @Override
    public void close() throws java.sql.SQLException {
        Pg.dropSchema(o.pgUrl(), FACTUM_SCHEMA);
        Pg.dropSchema(o.pgUrl(), RAW_SCHEMA);
    }
}
