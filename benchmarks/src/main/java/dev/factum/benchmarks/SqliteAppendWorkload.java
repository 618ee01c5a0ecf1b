// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.sqlite.SqliteSynchronous;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * W1e: W1 on the embedded SQLite store. Factum appends through {@code EventStore.append}; the limit is sqlite-jdbc
 * on one connection with the same PRAGMAs, one row per commit, the writer threads taking turns on it.
 */
final class SqliteAppendWorkload implements Workload {
    /** The store's events table and index (factum-sqlite schema V001, V002), created the same way in the raw file. */
    static final String[] RAW_SCHEMA = {"""
            CREATE TABLE events (
                position    INTEGER PRIMARY KEY,
                stream      TEXT    NOT NULL,
                category    TEXT    NOT NULL,
                version     INTEGER NOT NULL CHECK (version >= 1),
                event_id    TEXT    NOT NULL UNIQUE,
                type        TEXT    NOT NULL,
                data        TEXT    NOT NULL,
                metadata    TEXT    NOT NULL,
                recorded_at INTEGER NOT NULL,
                UNIQUE (stream, version)
            ) STRICT""", "CREATE INDEX events_category_position ON events (category, position)"};
    static final String INSERT = "INSERT INTO events (stream, category, version, event_id, type, data,"
            + " metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final BenchOptions o;
    private final Path dir;

    SqliteAppendWorkload(BenchOptions options) throws Exception {
        this.o = options;
        this.dir = Files.createTempDirectory("factum-bench-w1e");
    }

    @Override
    public String id() {
        return "W1e";
    }

    @Override
    public String title() {
        return "append 1 event per command, distinct streams, embedded SQLite (synchronous=" + o.sqliteSynchronous() + ")";
    }

    @Override
    public String store() {
        return "sqlite";
    }

    @Override
    public int writers() {
        return o.writers();
    }

    @Override
    public String limitName() {
        return "raw-sqlite-jdbc-insert-commit";
    }

    @Override
    public String operation() {
        return "one append of 1 event (limit: wait for the connection, one INSERT + COMMIT)";
    }

    @Override
    public String machine() throws Exception {
        try (Connection c = open(dir.resolve("probe.db")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            return Machine.client() + ", SQLite " + rs.getString(1) + " (sqlite-jdbc), journal_mode=WAL, synchronous="
                    + o.sqliteSynchronous() + ", file system of " + dir.getParent();
        } finally {
            deleteDb(dir.resolve("probe.db"));
        }
    }

    @Override
    public String description() {
        return """
                Factum: `SqliteEventStore.open(SqliteConfig.of(file).withSynchronous(SqliteSynchronous.%1$s))` on a \
                fresh file per run, then %2$d platform threads call `EventStore.append(stream, expected, List.of(event))`; \
                writer *w* cycles through its own %3$d streams, `noStream()` first and `exactly(v)` after. Limit: \
                sqlite-jdbc %4$s on a fresh file with the store's table and index and the same PRAGMAs \
                (`journal_mode=WAL`, `synchronous=%1$s`, `busy_timeout`, `foreign_keys=ON`). SQLite has one writer at a \
                time, so the raw side does what a raw user would do: one connection, auto-commit off, shared by the \
                same %2$d threads, which take turns on it (a `ReentrantLock`); each turn is one `INSERT` of the same \
                row (same JSON bytes, ids, streams, versions; `position` from SQLite's rowid) and one `COMMIT`. \
                Both files are in a fresh temporary directory under %5$s and deleted after each run.
                """.formatted(o.sqliteSynchronous(), o.writers(), o.streamsPerWriter(), org.sqlite.SQLiteJDBCLoader.getVersion(), dir.getParent());
    }

    @Override
    public Side factum() {
        return events -> {
            AppendPlan plan = AppendPlan.build(o.writers(), events, 1, o.streamsPerWriter());
            Path file = dir.resolve("factum.db");
            deleteDb(file);
            SqliteConfig config = SqliteConfig.of(file).withSynchronous(SqliteSynchronous.valueOf(o.sqliteSynchronous()));
            Measurement m;
            try (SqliteEventStore store = SqliteEventStore.open(config)) {
                m = Writers.run(o.writers(), AppendPlan.operations(events, 1), 1,
                        (w, i) -> store.append(plan.stream(w, i), plan.expected(w, i), plan.events(w, i)));
            }
            check(file, m.events());
            deleteDb(file);
            return m;
        };
    }

    @Override
    public Side limit() {
        return events -> {
            AppendPlan plan = AppendPlan.build(o.writers(), events, 1, o.streamsPerWriter());
            Path file = dir.resolve("raw.db");
            deleteDb(file);
            Measurement m;
            ReentrantLock turn = new ReentrantLock();
            try (Connection c = open(file)) {
                try (Statement s = c.createStatement()) {
                    for (String ddl : RAW_SCHEMA) s.execute(ddl);
                }
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    m = Writers.run(o.writers(), AppendPlan.operations(events, 1), 1, (w, i) -> {
                        AppendPlan.Row row = plan.rows(w, i).get(0);
                        turn.lock();
                        try {
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
                        } finally {
                            turn.unlock();
                        }
                    });
                }
            }
            check(file, m.events());
            deleteDb(file);
            return m;
        };
    }

    /** A connection with the store's PRAGMAs. */
    Connection open(Path file) throws SQLException {
        SQLiteConfig settings = new SQLiteConfig();
        settings.setBusyTimeout(10_000);
        Connection c = settings.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA synchronous=" + o.sqliteSynchronous());
            s.execute("PRAGMA foreign_keys=ON");
        }
        return c;
    }

    void check(Path file, long expected) throws Exception {
        try (Connection c = open(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            if (rs.getLong(1) != expected) {
                throw new IllegalStateException(file + " holds " + rs.getLong(1) + " events after the run, expected " + expected);
            }
        }
    }

    static void deleteDb(Path file) throws java.io.IOException {
        for (String suffix : new String[]{"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }

    @Override
    public void close() throws java.io.IOException {
        for (String name : new String[]{"factum.db", "raw.db"}) deleteDb(dir.resolve(name));
        Files.deleteIfExists(dir);
    }
}
