// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.command.CommandResultOptions;
import dev.factum.event.NewEvent;
import dev.factum.inbox.InboxOptions;
import dev.factum.event.RecordedEvent;
import dev.factum.sqlite.internal.EventBatchWriter;
import dev.factum.sqlite.internal.EventRows;
import dev.factum.sqlite.internal.ReadPool;
import dev.factum.sqlite.internal.SchemaMigrations;
import dev.factum.sqlite.internal.SqliteConnections;
import dev.factum.sqlite.internal.SqliteErrors;
import dev.factum.sqlite.internal.WriterConnection;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The embedded event store: one SQLite file in WAL mode. Appends from all threads are group-committed by one writer
 * thread through the instance's single writer connection: each transaction starts with {@code BEGIN IMMEDIATE}
 * (SQLite's write lock, which also keeps other processes out), assigns versions and positions, and commits, so
 * positions are committed in order and {@link #readAll} never sees a gap — within one process and across several.
 * Reads use a small pool of read-only connections and never wait for the writer.
 *
 * <p>{@link #onCommit} callbacks run on the writer thread right after each of this instance's commits that wrote
 * events (keep them short; an append from one is refused with an {@link IllegalStateException}, as it would wait for
 * itself); appends by other processes are seen by the
 * next read (a subscription's poll). Durability of a commit is {@link SqliteConfig#synchronous()}. Failures of
 * SQLite raise {@link EventStoreException} naming the operation.
 *
 * @since 0.1
 */
public final class SqliteEventStore implements EventStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventStore.class);
    /** Most events one group-commit transaction carries (an append larger than this still goes in whole). */
    private static final int MAX_BATCH_EVENTS = 2000;
    private static final Pattern PRAGMA = Pattern.compile("[a-z_]+");
    private static final String FORWARD = "SELECT " + EventRows.COLUMNS
            + " FROM events WHERE stream = ? AND version >= ? ORDER BY version LIMIT ?";
    private static final String BACKWARD = "SELECT " + EventRows.COLUMNS
            + " FROM events WHERE stream = ? AND version <= ? ORDER BY version DESC LIMIT ?";
    private static final String ALL = "SELECT " + EventRows.COLUMNS
            + " FROM events WHERE position > ? ORDER BY position LIMIT ?";
    private static final String CATEGORY = "SELECT " + EventRows.COLUMNS
            + " FROM events WHERE category = ? AND position > ? ORDER BY position LIMIT ?";
    private static final String STATISTICS = "SELECT category, count(*), count(DISTINCT stream), max(position)"
            + " FROM events GROUP BY category";

    private final SqliteConfig config;
    private final String name;
    private final WriterConnection writer;
    private final ReadPool readers;
    private final GroupCommitter committer;
    private final SqliteCheckpointStore checkpoints;
    private final SqliteSnapshotStore snapshots;
    private final SqliteDeadLetterStore deadLetters;
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The thread that runs the commit callbacks (the writer thread); an append from it would wait for itself. */
    private volatile Thread signalling;

    private SqliteEventStore(SqliteConfig config, String name, WriterConnection writer, ReadPool readers)
            throws SQLException {
        this.config = config;
        this.name = name;
        this.writer = writer;
        this.readers = readers;
        this.checkpoints = new SqliteCheckpointStore(writer, readers);
        this.snapshots = new SqliteSnapshotStore(writer, readers);
        this.deadLetters = new SqliteDeadLetterStore(writer, readers);
        this.committer = new GroupCommitter(name, new EventBatchWriter(writer, this::signal), MAX_BATCH_EVENTS);
    }

    /**
     * Opens (creating if needed) the store in {@code config.file()}: creates missing parent directories, switches
     * the file to WAL mode and applies the schema migrations it does not have yet.
     *
     * @throws EventStoreException if the file cannot be opened or migrated (the message says why)
     */
    public static SqliteEventStore open(SqliteConfig config) {
        Objects.requireNonNull(config, "config");
        String name = "sqlite " + config.file();
        WriterConnection writer = null;
        ReadPool readers = null;
        try {
            Path parent = config.file().toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Connection connection = SqliteConnections.openWriter(config);
            try {
                writer = new WriterConnection(name, connection);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            int applied = SchemaMigrations.migrate(writer, name);
            if (applied > 0) LOG.info("{}: applied {} schema migration(s)", name, applied);
            readers = new ReadPool(name, config);
            return new SqliteEventStore(config, name, writer, readers);
        } catch (Exception e) {
            if (readers != null) readers.close();
            if (writer != null) writer.close();
            throw switch (e) {
                case SQLException sql -> SqliteErrors.translate("open " + name, sql);
                case RuntimeException runtime -> runtime;
                default -> new EventStoreException("open " + name + " failed: " + e, e);
            };
        }
    }

    /** The checkpoint store in the same file, whose commits share this store's writer connection. */
    public SqliteCheckpointStore checkpointStore() {
        return checkpoints;
    }

    /** The aggregate snapshot store in the same file, writing through this store's writer connection. */
    public SqliteSnapshotStore snapshotStore() {
        return snapshots;
    }

    /**
     * A command result store in the same file, for {@link dev.factum.command.CommandInterceptors#idempotency}, with
     * the retention and claim timeout of {@code options}. Each call gives a new store object over the same table.
     */
    public SqliteCommandResultStore commandResultStore(CommandResultOptions options) {
        return new SqliteCommandResultStore(writer, readers, options);
    }

    /** {@link #commandResultStore(CommandResultOptions)} with {@link CommandResultOptions#defaults()}. */
    public SqliteCommandResultStore commandResultStore() {
        return commandResultStore(CommandResultOptions.defaults());
    }

    /**
     * A consumer inbox in the same file with the retention and clock of {@code options}: its work runs in a transaction
     * of this store's writer connection, together with the inbox entry. Each call gives a new inbox object over the
     * same table.
     */
    public SqliteInbox inbox(InboxOptions options) {
        return new SqliteInbox(writer, readers, options);
    }

    /** {@link #inbox(InboxOptions)} with {@link InboxOptions#defaults()}: a week's retention, the system clock. */
    public SqliteInbox inbox() {
        return inbox(InboxOptions.defaults());
    }

    /** The dead-letter store in the same file, writing through this store's writer connection. */
    public SqliteDeadLetterStore deadLetterStore() {
        return deadLetters;
    }

    /** A lease store in the same file whose "now" is {@code clock} (a test passes one it can move). */
    public SqliteLeaseStore leaseStore(Clock clock) {
        return new SqliteLeaseStore(writer, readers, clock);
    }

    /** {@link #leaseStore(Clock)} with the system UTC clock. */
    public SqliteLeaseStore leaseStore() {
        return leaseStore(Clock.systemUTC());
    }

    /** The settings this store was opened with. */
    public SqliteConfig config() {
        return config;
    }

    @Override
    public AppendResult append(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
        AppendRequest request = AppendValidation.validate(stream, expected, events, config.limits());
        checkOpen();
        if (Thread.currentThread() == signalling) {
            throw new IllegalStateException("append to " + stream + " from an onCommit callback would wait for itself:"
                    + " the callback runs on the store's writer thread; only signal from it and append elsewhere");
        }
        if (writer.isHeldByCurrentThread()) {
            throw new IllegalStateException("append to " + stream + " inside a checkpoint transaction of the same"
                    + " store would wait for itself: append after the checkpoint commits, or from another thread");
        }
        return committer.submit(request);
    }

    @Override
    public List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(options, "options");
        checkOpen();
        boolean forward = options.direction() == ReadStreamOptions.Direction.FORWARD;
        return readers.read("read stream " + stream, lease -> {
            PreparedStatement select = lease.prepare(forward ? FORWARD : BACKWARD);
            select.setString(1, stream.toString());
            select.setLong(2, options.fromVersion());
            select.setInt(3, options.limit());
            return events(select);
        });
    }

    @Override
    public List<RecordedEvent> readAll(ReadAllOptions options) {
        Objects.requireNonNull(options, "options");
        checkOpen();
        return readers.read("read all after position " + options.after(), lease -> {
            PreparedStatement select;
            if (options.category().isPresent()) {
                select = lease.prepare(CATEGORY);
                select.setString(1, options.category().get());
                select.setLong(2, options.after().value());
                select.setInt(3, options.limit());
            } else {
                select = lease.prepare(ALL);
                select.setLong(1, options.after().value());
                select.setInt(2, options.limit());
            }
            return events(select);
        });
    }

    @Override
    public long streamVersion(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        checkOpen();
        return readers.read("read version of stream " + stream, lease -> {
            PreparedStatement select = lease.prepare("SELECT coalesce(max(version), 0) FROM events WHERE stream = ?");
            select.setString(1, stream.toString());
            return single(select);
        });
    }

    @Override
    public Position headPosition() {
        checkOpen();
        return readers.read("read head position",
                lease -> Position.of(single(lease.prepare("SELECT coalesce(max(position), 0) FROM events"))));
    }

    @Override
    public StoreStatistics statistics() {
        checkOpen();
        return readers.read("read statistics", lease -> {
            long events = 0;
            long streams = 0;
            long head = 0;
            Map<String, Long> byCategory = new TreeMap<>();
            try (ResultSet rows = lease.prepare(STATISTICS).executeQuery()) {
                while (rows.next()) {
                    byCategory.put(rows.getString(1), rows.getLong(2));
                    events += rows.getLong(2);
                    streams += rows.getLong(3); // a stream belongs to exactly one category
                    head = Math.max(head, rows.getLong(4));
                }
            }
            return new StoreStatistics(events, streams, Position.of(head), Collections.unmodifiableMap(byCategory), name);
        });
    }

    @Override
    public AutoCloseable onCommit(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        callbacks.add(callback);
        return () -> callbacks.remove(callback);
    }

    /** Commits the appends already queued, then closes the connections; later calls raise StoreClosedException. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            committer.close();
        } finally {
            readers.close();
            writer.close();
        }
    }

    /** Reads a PRAGMA on the writer and on every read connection, writer first; for checks and tests. */
    List<String> pragmaOnEveryConnection(String pragma) {
        if (!PRAGMA.matcher(pragma).matches()) throw new IllegalArgumentException("not a pragma name: " + pragma);
        checkOpen();
        String sql = "PRAGMA " + pragma;
        List<String> values = new ArrayList<>();
        try {
            values.add(writer.inTransaction(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    return text(statement);
                }
            }));
        } catch (SQLException e) {
            throw SqliteErrors.translate("read " + sql, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new EventStoreException("read " + sql + " failed", e);
        }
        values.addAll(readers.readOnEach("read " + sql, lease -> text(lease.prepare(sql))));
        return values;
    }

    private void signal() {
        signalling = Thread.currentThread();
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: a commit callback failed", name, e);
            }
        }
    }

    private void checkOpen() {
        if (closed.get()) throw new StoreClosedException(name);
    }

    private static List<RecordedEvent> events(PreparedStatement select) throws SQLException {
        List<RecordedEvent> events = new ArrayList<>();
        Map<String, StreamId> streams = new HashMap<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) events.add(EventRows.recorded(rows, streams));
        }
        return events;
    }

    private static long single(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String text(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }
}
