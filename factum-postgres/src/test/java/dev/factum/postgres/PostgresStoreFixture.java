// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.aggregate.SnapshotStore;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.inbox.Inbox;
import dev.factum.inbox.InboxOptions;
import dev.factum.postgres.internal.SchemaName;
import dev.factum.relay.LeaseStore;
import dev.factum.retry.DeadLetterStore;
import dev.factum.store.EventStore;
import dev.factum.store.StoreLimits;
import dev.factum.subscription.CheckpointStore;
import dev.factum.test.conformance.StoreCapabilities;
import dev.factum.test.conformance.StoreFixture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh, randomly named schema per fixture on the test database ({@code FACTUM_TEST_PG_URL}, default
 * {@value #DEFAULT_URL}), dropped on close. Fails — never skips — when PostgreSQL is unreachable.
 */
public final class PostgresStoreFixture implements StoreFixture {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final String HOW_TO_START = "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

    private final String url = url();
    private final String schema = "factum_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final List<PostgresEventStore> stores = new ArrayList<>();
    private final PostgresEventStore store;

    public PostgresStoreFixture() {
        requireReachable(url);
        store = open(StoreLimits.DEFAULT);
    }

    static String url() {
        String env = System.getenv("FACTUM_TEST_PG_URL");
        return env == null || env.isBlank() ? DEFAULT_URL : env;
    }

    /** Fails with the URL and how to start PostgreSQL if it cannot be reached. */
    static void requireReachable(String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + url + " (" + e.getMessage() + "); "
                    + HOW_TO_START + ", or point FACTUM_TEST_PG_URL at a running server", e);
        }
    }

    public String jdbcUrl() {
        return url;
    }

    public String schema() {
        return schema;
    }

    public PostgresConfig config() {
        return PostgresConfig.of(url).withSchema(schema).withMaxPoolSize(4).withNotificationWait(Duration.ofMillis(100));
    }

    /** A new store instance on this fixture's schema, closed with the fixture. */
    public synchronized PostgresEventStore open(StoreLimits limits) {
        PostgresEventStore opened = PostgresEventStore.open(config().withLimits(limits));
        stores.add(opened);
        return opened;
    }

    /** A raw JDBC connection to the test database (the caller closes it). */
    public Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public EventStore eventStore() {
        return store;
    }

    @Override
    public EventStore openEventStore(StoreLimits limits) {
        return open(limits);
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
        return open(StoreLimits.DEFAULT).snapshotStore();
    }

    @Override
    public CommandResultStore commandResultStore(CommandResultOptions options) {
        return store.commandResultStore(options);
    }

    @Override
    public CommandResultStore openCommandResultStore(CommandResultOptions options) {
        return open(StoreLimits.DEFAULT).commandResultStore(options);
    }

    @Override
    public Inbox inboxStore(InboxOptions options) {
        return store.inbox(options);
    }

    @Override
    public Inbox openInboxStore(InboxOptions options) {
        return open(StoreLimits.DEFAULT).inbox(options);
    }

    @Override
    public DeadLetterStore deadLetterStore() {
        return store.deadLetterStore();
    }

    @Override
    public DeadLetterStore openDeadLetterStore() {
        return open(StoreLimits.DEFAULT).deadLetterStore();
    }

    @Override
    public LeaseStore leaseStore(Clock clock) {
        return store.leaseStore(clock);
    }

    @Override
    public LeaseStore openLeaseStore(Clock clock) {
        return open(StoreLimits.DEFAULT).leaseStore(clock);
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(ChronoUnit.MICROS, true, true);
    }

    /**
     * Each episode, on its own raw connection: takes the store's append lock, inserts an event at the next position,
     * holds the transaction open for 1–20 ms (server-side sleep) and rolls back — so writers must wait for it and
     * readers must neither stall on nor pass over the position it held.
     */
    @Override
    public List<Runnable> interferences() {
        return List.of(this::holdNextPositionThenRollBack);
    }

    void holdNextPositionThenRollBack() {
        try (Connection c = rawConnection()) {
            c.setAutoCommit(false);
            holdNextPosition(c);
            try (PreparedStatement hold = c.prepareStatement("SELECT pg_sleep(?)")) {
                hold.setDouble(1, ThreadLocalRandom.current().nextInt(1, 21) / 1000.0);
                hold.execute();
            }
            c.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException("interference on schema " + schema + " failed", e);
        }
    }

    /**
     * On {@code c} (autocommit off): takes the append lock as the store does and inserts one event of stream
     * {@code Held-<random>} at the next position, leaving the transaction open. Returns that position.
     */
    long holdNextPosition(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, SchemaName.of(schema).appendLockKey());
            lock.execute();
        }
        long head;
        try (Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT coalesce(max(position), 0) FROM \"" + schema + "\".events")) {
            rows.next();
            head = rows.getLong(1);
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO \"" + schema + "\".events"
                + " (position, stream, category, version, event_id, type, data, metadata)"
                + " VALUES (?, ?, 'Held', 1, ?, 'Held', '{}', ?::jsonb)")) {
            UUID id = UUID.randomUUID();
            insert.setLong(1, head + 1);
            insert.setString(2, "Held-" + id);
            insert.setObject(3, id);
            insert.setString(4, "{\"eventId\":\"" + id + "\",\"correlationId\":\"c\",\"causationId\":\"c\"}");
            insert.executeUpdate();
        }
        return head + 1;
    }

    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        for (PostgresEventStore s : stores) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        stores.clear();
        try (Connection c = rawConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            IllegalStateException dropFailed = new IllegalStateException("cannot drop test schema " + schema, e);
            if (failure == null) failure = dropFailed;
            else failure.addSuppressed(dropFailed);
        }
        if (failure != null) throw failure;
    }
}
