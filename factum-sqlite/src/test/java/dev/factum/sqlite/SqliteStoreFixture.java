// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.aggregate.SnapshotStore;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.inbox.Inbox;
import dev.factum.inbox.InboxOptions;
import dev.factum.relay.LeaseStore;
import dev.factum.retry.DeadLetterStore;
import dev.factum.store.EventStore;
import dev.factum.store.StoreLimits;
import dev.factum.subscription.CheckpointStore;
import dev.factum.test.conformance.StoreCapabilities;
import dev.factum.test.conformance.StoreFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A SQLite store over a new temporary file (in its own directory, deleted on close), with the default settings
 * (synchronous FULL). {@link #openEventStore} opens a second, independent store instance on the same file, as another
 * process would.
 */
public final class SqliteStoreFixture implements StoreFixture {
    /** recorded_at is stored in epoch microseconds. */
    static final StoreCapabilities CAPABILITIES = new StoreCapabilities(ChronoUnit.MICROS, true, true);

    private final Path directory;
    private final SqliteConfig config;
    private final SqliteEventStore store;
    private final List<SqliteEventStore> others = new ArrayList<>();

    public SqliteStoreFixture() {
        try {
            directory = Files.createTempDirectory("factum-sqlite-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config = SqliteConfig.of(directory.resolve("store.db"));
        store = SqliteEventStore.open(config);
    }

    /** The file's settings; tests open further instances with variations of it. */
    public SqliteConfig config() {
        return config;
    }

    @Override
    public SqliteEventStore eventStore() {
        return store;
    }

    @Override
    public synchronized EventStore openEventStore(StoreLimits limits) {
        SqliteEventStore other = SqliteEventStore.open(config.withLimits(limits));
        others.add(other);
        return other;
    }

    /** Another instance on the same file with other settings; closed by this fixture. */
    public synchronized SqliteEventStore open(SqliteConfig variant) {
        SqliteEventStore other = SqliteEventStore.open(variant);
        others.add(other);
        return other;
    }

    @Override
    public CheckpointStore checkpointStore() {
        return store.checkpointStore();
    }

    @Override
    public SnapshotStore snapshotStore() {
        return store.snapshotStore();
    }

    @Override
    public SnapshotStore openSnapshotStore() {
        return open(config).snapshotStore();
    }

    @Override
    public CommandResultStore commandResultStore(CommandResultOptions options) {
        return store.commandResultStore(options);
    }

    @Override
    public CommandResultStore openCommandResultStore(CommandResultOptions options) {
        return open(config).commandResultStore(options);
    }

    @Override
    public Inbox inboxStore(InboxOptions options) {
        return store.inbox(options);
    }

    @Override
    public Inbox openInboxStore(InboxOptions options) {
        return open(config).inbox(options);
    }

    @Override
    public DeadLetterStore deadLetterStore() {
        return store.deadLetterStore();
    }

    @Override
    public DeadLetterStore openDeadLetterStore() {
        return open(config).deadLetterStore();
    }

    @Override
    public LeaseStore leaseStore(Clock clock) {
        return store.leaseStore(clock);
    }

    @Override
    public LeaseStore openLeaseStore(Clock clock) {
        return open(config).leaseStore(clock);
    }

    @Override
    public StoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * Each episode, on a raw connection of its own (as another process would write): {@code BEGIN IMMEDIATE}, insert an
     * event at the next position, keep the write lock for a while (a counting query), roll back, then stay away from
     * the lock for about as long — so writers must wait for it, and readers must neither see nor stall on the
     * position it held.
     */
    @Override
    public List<Runnable> interferences() {
        return List.of(this::holdNextPositionThenRollBack);
    }

    void holdNextPositionThenRollBack() {
        int work = ThreadLocalRandom.current().nextInt(10_000, 200_000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.file().toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=" + config.busyTimeout().toMillis());
            s.execute("BEGIN IMMEDIATE");
            long head;
            try (ResultSet row = s.executeQuery("SELECT coalesce(max(position), 0) FROM events")) {
                row.next();
                head = row.getLong(1);
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (position, stream, category, version,"
                    + " event_id, type, data, metadata, recorded_at) VALUES (?, ?, 'Interference', 1, ?, 'Held', '{}', ?, 0)")) {
                insert.setLong(1, head + 1);
                insert.setString(2, "Interference-" + id);
                insert.setString(3, id.toString());
                insert.setString(4, "{\"eventId\":\"" + id + "\",\"correlationId\":\"x\",\"causationId\":\"x\"}");
                insert.executeUpdate();
            }
            count(s, work);
            s.execute("ROLLBACK");
            count(s, work);
        } catch (SQLException e) {
            throw new IllegalStateException("interference on " + config.file() + " failed", e);
        }
    }

    private static void count(Statement s, int rows) throws SQLException {
        try (ResultSet r = s.executeQuery("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < "
                + rows + ") SELECT count(*) FROM n")) {
            r.next();
        }
    }

    @Override
    public synchronized void close() {
        try {
            others.forEach(SqliteEventStore::close);
            store.close();
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
