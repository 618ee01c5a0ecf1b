// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.factum.command.CommandResultOptions;
import dev.factum.event.InvalidEventException;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.inbox.InboxOptions;
import dev.factum.postgres.internal.AppendWriter;
import dev.factum.postgres.internal.CommitNotifications;
import dev.factum.postgres.internal.CommitNotifier;
import dev.factum.postgres.internal.EventReader;
import dev.factum.postgres.internal.Migrations;
import dev.factum.postgres.internal.SchemaName;
import dev.factum.postgres.internal.SqlErrors;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.EventStoreException;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreClosedException;
import dev.factum.store.StoreStatistics;
import dev.factum.store.StreamId;
import dev.factum.store.internal.AppendRequest;
import dev.factum.store.internal.AppendValidation;
import dev.factum.store.internal.GroupCommitter;
import dev.factum.subscription.CheckpointStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The production event store on PostgreSQL: JSONB payload and metadata, a unique version per stream, and a global
 * order that readers never see with a gap, however many writers in however many processes commit concurrently.
 *
 * <p>How: every append transaction takes one store-wide lock (a transaction-scoped advisory lock keyed by the
 * schema) before it assigns positions, and PostgreSQL releases it only after the commit is visible, so positions
 * commit in order, a rolled-back transaction gives its numbers back, and {@link #readAll} is a plain
 * {@code position > ?} query. Commits are therefore serialized store-wide; group commit (many callers' appends in one
 * transaction, each still atomic and checked against its own {@link ExpectedVersion}) recovers the throughput. Any
 * process writing to the schema must use this class: a writer that bypasses it breaks the guarantee. Other
 * processes' commits wake {@link #onCommit} callbacks through LISTEN/NOTIFY. See the module README for the reasoning
 * and the costs.
 *
 * <p>Connections: one dedicated writer connection, one LISTEN connection, and a HikariCP pool of at most
 * {@link PostgresConfig#maxPoolSize()} for reads, checkpoint and inbox transactions, dead letters and leases. The
 * schema is created and migrated at {@link #open}.
 *
 * @since 0.1
 */
public final class PostgresEventStore implements EventStore {
    private final PostgresConfig config;
    private final String name;
    private final HikariDataSource pool;
    private final EventReader reader;
    private final CommitNotifications notifications;
    private final CommitNotifier notifier;
    private final AppendWriter writer;
    private final GroupCommitter committer;
    private final PostgresCheckpointStore checkpoints;
    private final PostgresSnapshotStore snapshots;
    private final PostgresDeadLetterStore deadLetters;
    private final SchemaName schema;
    /** Queued appends' metadata documents, by request identity (never by content). */
    private final Map<AppendRequest, String[]> metadataJsons = Collections.synchronizedMap(new IdentityHashMap<>());
    private volatile boolean closed;

    private PostgresEventStore(PostgresConfig config, HikariDataSource pool, SchemaName schema) throws SQLException {
        this.config = config;
        this.name = "postgresql " + config.describe();
        this.pool = pool;
        this.reader = new EventReader(pool, schema, name);
        this.notifier = new CommitNotifier(config.jdbcUrl(), schema, name);
        try {
            this.notifications = new CommitNotifications(config.jdbcUrl(), schema, name, notifier::backendPid,
                    config.notificationWait());
        } catch (SQLException | RuntimeException e) {
            notifier.close();
            throw e;
        }
        try {
            this.writer = new AppendWriter(config.jdbcUrl(), schema, name, metadataJsons::get, head -> {
                notifications.committedHere();
                notifier.committed(head);
            });
        } catch (SQLException | RuntimeException e) {
            notifications.close();
            notifier.close();
            throw e;
        }
        this.committer = new GroupCommitter(name, writer, config.maxBatchEvents());
        this.checkpoints = new PostgresCheckpointStore(pool, schema, name);
        this.snapshots = new PostgresSnapshotStore(pool, schema, name);
        this.deadLetters = new PostgresDeadLetterStore(pool, schema, name);
        this.schema = schema;
    }

    /**
     * Connects, creates or migrates the schema, and starts the writer and the LISTEN thread.
     *
     * @throws EventStoreException naming the URL (without its parameters) if PostgreSQL cannot be reached or the
     *                             migration fails
     */
    public static PostgresEventStore open(PostgresConfig config) {
        Objects.requireNonNull(config, "config");
        SchemaName schema = SchemaName.of(config.schema());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(config));
        } catch (RuntimeException e) {
            throw new EventStoreException("cannot connect to PostgreSQL at " + config.describe() + ": "
                    + rootMessage(e), e);
        }
        try {
            try (Connection c = pool.getConnection()) {
                Migrations.migrate(c, schema);
            }
            return new PostgresEventStore(config, pool, schema);
        } catch (SQLException e) {
            pool.close();
            throw SqlErrors.translate("opening the store", "postgresql " + config.describe(), e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariConfig poolConfig(PostgresConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setMinimumIdle(Math.min(2, config.maxPoolSize()));
        hikari.setPoolName("factum-" + config.schema());
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        hikari.addDataSourceProperty("ApplicationName", "factum-pool:" + config.schema());
        return hikari;
    }

    /** The checkpoint store over this store's schema and pool; commits run the handler's work in the same transaction. */
    public CheckpointStore checkpointStore() {
        return checkpoints;
    }

    /** The aggregate snapshot store over this store's schema and pool. */
    public PostgresSnapshotStore snapshotStore() {
        return snapshots;
    }

    /**
     * A command result store over this store's schema and pool, for
     * {@link dev.factum.command.CommandInterceptors#idempotency}, with the retention and claim timeout of
     * {@code options}. Each call gives a new store object over the same table.
     */
    public PostgresCommandResultStore commandResultStore(CommandResultOptions options) {
        return new PostgresCommandResultStore(pool, schema, name, options);
    }

    /** {@link #commandResultStore(CommandResultOptions)} with {@link CommandResultOptions#defaults()}. */
    public PostgresCommandResultStore commandResultStore() {
        return commandResultStore(CommandResultOptions.defaults());
    }

    /**
     * A consumer inbox over this store's schema and pool with the retention and clock of {@code options}: its work
     * runs on a pooled connection in one transaction with the inbox entry. Each call gives a new inbox object over the
     * same table.
     */
    public PostgresInbox inbox(InboxOptions options) {
        return new PostgresInbox(pool, schema, name, options);
    }

    /** {@link #inbox(InboxOptions)} with {@link InboxOptions#defaults()}: a week's retention, the system clock. */
    public PostgresInbox inbox() {
        return inbox(InboxOptions.defaults());
    }

    /** The dead-letter store over this store's schema and pool. */
    public PostgresDeadLetterStore deadLetterStore() {
        return deadLetters;
    }

    /**
     * A lease store over this store's schema whose "now" is the database's clock, so that processes on machines with
     * different clocks agree on expiry. The one to use in production.
     */
    public PostgresLeaseStore leaseStore() {
        return new PostgresLeaseStore(pool, schema, name, Optional.empty());
    }

    /**
     * A lease store whose "now" is {@code clock} instead of the database's clock: for tests that move time, or when
     * every process sharing the schema passes the same clock. Do not mix it with {@link #leaseStore()} on one lease.
     */
    public PostgresLeaseStore leaseStore(Clock clock) {
        return new PostgresLeaseStore(pool, schema, name, Optional.of(clock));
    }

    /** The configuration this store was opened with. */
    public PostgresConfig config() {
        return config;
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        AppendRequest request = AppendValidation.validate(stream, expected, events, config.limits());
        for (NewEvent event : events) requireStorable(event);
        checkOpen();
        metadataJsons.put(request, AppendWriter.metadataJson(request)); // encoded here, in parallel, not by the writer
        try {
            return committer.submit(request);
        } finally {
            metadataJsons.remove(request);
        }
    }

    @Override
    public List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(options, "options");
        checkOpen();
        return reader.readStream(stream, options);
    }

    @Override
    public List<RecordedEvent> readAll(ReadAllOptions options) {
        Objects.requireNonNull(options, "options");
        checkOpen();
        return reader.readAll(options);
    }

    @Override
    public long streamVersion(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        checkOpen();
        return reader.streamVersion(stream);
    }

    @Override
    public Position headPosition() {
        checkOpen();
        return reader.headPosition();
    }

    @Override
    public StoreStatistics statistics() {
        checkOpen();
        return reader.statistics(name);
    }

    @Override
    public AutoCloseable onCommit(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        return notifications.register(callback);
    }

    /** Commits what is queued, then closes the writer, the LISTEN connection and the pool. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        try {
            committer.close();
        } finally {
            writer.close();
            notifier.close();
            notifications.close();
            pool.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private void checkOpen() {
        if (closed) throw new StoreClosedException(name);
    }

    /** PostgreSQL cannot store the NUL character in JSONB or text: refuse it before anything is written. */
    private static void requireStorable(NewEvent event) {
        if (hasEscapedNul(event.data())) {
            throw new InvalidEventException("event " + event.eventId() + " of type " + event.type()
                    + " has a payload holding the NUL character (\\u0000), which PostgreSQL cannot store in JSONB");
        }
        event.metadata().headers().forEach((key, value) -> {
            if (key.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                throw new InvalidEventException("event " + event.eventId() + " has a metadata header holding the NUL"
                        + " character, which PostgreSQL cannot store in JSONB");
            }
        });
    }

    /** True if the JSON text holds the escape {@code \u0000} (a backslash not itself escaped, then u0000). */
    static boolean hasEscapedNul(String json) {
        int from = 0;
        int at;
        while ((at = json.indexOf("\\u0000", from)) >= 0) {
            int backslashes = 0;
            for (int i = at; i >= 0 && json.charAt(i) == '\\'; i--) backslashes++;
            if (backslashes % 2 == 1) return true;
            from = at + 1;
        }
        return json.indexOf('\0') >= 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }
}
