// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres.internal;

import dev.factum.event.NewEvent;
import dev.factum.event.Metadata;
import dev.factum.event.codec.MetadataCodec;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.store.internal.AppendPlanner;
import dev.factum.store.internal.AppendRequest;
import dev.factum.store.internal.GroupCommitter;
import dev.factum.store.internal.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The append path: one dedicated connection (autocommit off, READ COMMITTED), driven by the {@link GroupCommitter}'s
 * thread, writing each batch in one transaction of two round trips:
 * <ol>
 *   <li>take the store-wide append lock ({@code pg_advisory_xact_lock} keyed by the schema; it serializes appends of
 *       every process on the schema), then — as a second statement of the same message, so with a snapshot taken
 *       after the lock was granted — read the last position and the current version of every stream in the batch
 *       (and, when {@link #write} retries, the stored events whose ids occur in it);</li>
 *   <li>after {@link AppendPlanner} decided, insert every new row with one {@code INSERT … SELECT FROM unnest(…)}
 *       and {@code COMMIT}, again in one message.</li>
 * </ol>
 * After the commit it calls {@code afterCommit} with the last position written (local callbacks, and the
 * {@link CommitNotifier} for other processes).
 * The lock is released only after the commit is visible, so positions commit in order. Any failure rolls back and
 * rethrows (the committer then retries each append alone). A lost connection is dropped and replaced by a new one.
 * Not thread-safe: only the committer's thread calls it.
 */
public final class AppendWriter implements GroupCommitter.BatchWriter, AutoCloseable {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final Logger LOG = LoggerFactory.getLogger(AppendWriter.class);

    private final String jdbcUrl;
    private final SchemaName schema;
    private final String storeName;
    private final LongConsumer afterCommit;
    private final Function<AppendRequest, String[]> metadataJsons;
    private final String lockAndReadSql;
    private final String writeSql;
    private Connection connection;
    private PreparedStatement lockAndRead;
    private PreparedStatement write;

    /**
     * Connects at once, so a wrong URL fails the store's start-up rather than its first append.
     *
     * @param metadataJsons the metadata documents the caller prepared for a request, or null (then made here)
     * @param afterCommit called with the last position written, after each commit
     */
    public AppendWriter(String jdbcUrl, SchemaName schema, String storeName,
                        Function<AppendRequest, String[]> metadataJsons, LongConsumer afterCommit)
            throws SQLException {
        this.jdbcUrl = jdbcUrl;
        this.schema = schema;
        this.storeName = storeName;
        this.afterCommit = afterCommit;
        this.metadataJsons = metadataJsons;
        String events = schema.table("events");
        this.lockAndReadSql = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0));"
                + " SELECT 0, NULL::text, NULL::bigint, (SELECT coalesce(max(position), 0) FROM " + events + "),"
                + " NULL::uuid, NULL::text, NULL::text"
                + " UNION ALL SELECT 1, s.stream, (SELECT max(e.version) FROM " + events + " e WHERE e.stream = s.stream),"
                + " NULL, NULL, NULL, NULL FROM unnest(?::text[]) AS s(stream)"
                + " UNION ALL SELECT 2, stream, version, position, event_id, type, data::text FROM " + events
                + " WHERE event_id = ANY(?::uuid[])";
        this.writeSql = "INSERT INTO " + events + " (position, stream, category, version, event_id, type, data, metadata)"
                + " SELECT p, s, c, v, i, t, d::jsonb, m::jsonb FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[],"
                + " ?::uuid[], ?::text[], ?::text[], ?::text[]) AS r(p, s, c, v, i, t, d, m);"
                + " COMMIT";
        connect();
    }

    /**
     * Writes the batch in one transaction. The first attempt does not look the batch's event ids up: the unique index
     * on {@code event_id} refuses a stored id anyway, and repeats are rare. If it does (SQLState 23505), or if the
     * planner refuses an append, the batch is planned again with the stored events in hand, so repeats get their
     * original results. If the connection turns
     * out to be lost, the batch is tried once more, with the lookup, on a new connection: safe even if the lost
     * commit went through, because the retry finds the stored event ids and answers with the original results.
     */
    @Override
    public List<AppendPlanner.Outcome> write(List<AppendRequest> batch) {
        try {
            return attempt(batch, false);
        } catch (SQLException e) {
            if (!SqlErrors.isConnectionFailure(e) && !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw SqlErrors.translate(describe(batch), storeName, e);
            }
            try {
                return attempt(batch, true);
            } catch (SQLException again) {
                again.addSuppressed(e);
                throw SqlErrors.translate(describe(batch), storeName, again);
            }
        }
    }

    private List<AppendPlanner.Outcome> attempt(List<AppendRequest> batch, boolean lookUpIds) throws SQLException {
        try {
            if (connection == null) connect();
            return writeBatch(batch, lookUpIds);
        } catch (SQLException e) {
            abandon(e);
            throw e;
        } catch (RuntimeException e) {
            abandon(null);
            throw e;
        }
    }

    private List<AppendPlanner.Outcome> writeBatch(List<AppendRequest> batch, boolean lookUpIds) throws SQLException {
        Map<String, StreamId> streams = new LinkedHashMap<>();
        List<UUID> ids = new ArrayList<>();
        for (AppendRequest request : batch) {
            streams.putIfAbsent(request.stream().toString(), request.stream());
            if (lookUpIds) for (NewEvent event : request.events()) ids.add(event.eventId());
        }
        lockAndRead.setString(1, schema.appendLockKey());
        lockAndRead.setArray(2, connection.createArrayOf("text", streams.keySet().toArray(new String[0])));
        lockAndRead.setArray(3, connection.createArrayOf("uuid", ids.toArray(new UUID[0])));
        lockAndRead.execute();
        lockAndRead.getMoreResults(); // past the lock's result
        long head = 0;
        Map<StreamId, Long> versions = new HashMap<>();
        Map<UUID, StoredEvent> existing = new HashMap<>();
        try (ResultSet rows = lockAndRead.getResultSet()) {
            while (rows.next()) {
                switch (rows.getInt(1)) {
                    case 0 -> head = rows.getLong(4);
                    case 1 -> versions.put(streams.get(rows.getString(2)), rows.getLong(3));
                    default -> {
                        UUID id = rows.getObject(5, UUID.class);
                        StreamId stored = streams.getOrDefault(rows.getString(2), null);
                        if (stored == null) stored = StreamId.parse(rows.getString(2));
                        // the planner compares type and payload only; the stored metadata is not needed here
                        existing.put(id, new StoredEvent(stored, rows.getLong(3), Position.of(rows.getLong(4)),
                                new NewEvent(rows.getString(6), rows.getString(7), Metadata.withId(id))));
                    }
                }
            }
        }
        AppendPlanner planner = new AppendPlanner(versions, existing, Position.of(head));
        List<AppendPlanner.Outcome> outcomes = planner.plan(batch);
        if (!lookUpIds && outcomes.stream().anyMatch(o -> o instanceof AppendPlanner.Refused)) {
            // a refused append may be a repeat (idempotency is decided before the expected version): plan again with
            // the stored events in hand, still holding the lock (advisory locks stack within a transaction)
            return writeBatch(batch, true);
        }
        int count = 0;
        for (AppendPlanner.Outcome outcome : outcomes) {
            if (outcome instanceof AppendPlanner.Write w) count += w.events().size();
        }
        if (count == 0) {
            connection.rollback();
            return outcomes;
        }
        insert(batch, outcomes, count);
        afterCommit.accept(planner.lastPosition().value());
        return outcomes;
    }

    /**
     * Inserts the rows of every {@code Write} outcome with one statement, and commits in the same message. The arrays
     * go through the driver's array encoding (binary where it can), which costs the single server backend less than
     * parsing array literals.
     */
    private void insert(List<AppendRequest> batch, List<AppendPlanner.Outcome> outcomes, int count) throws SQLException {
        Long[] positions = new Long[count];
        String[] streamNames = new String[count];
        String[] categories = new String[count];
        Long[] versions = new Long[count];
        UUID[] ids = new UUID[count];
        String[] types = new String[count];
        String[] data = new String[count];
        String[] metadata = new String[count];
        int n = 0;
        for (int r = 0; r < batch.size(); r++) {
            if (!(outcomes.get(r) instanceof AppendPlanner.Write write)) continue;
            String[] metadataJson = metadataJsons.apply(batch.get(r));
            if (metadataJson == null) metadataJson = metadataJson(batch.get(r));
            String stream = write.events().get(0).stream().toString();
            String category = write.events().get(0).stream().category();
            for (int i = 0; i < write.events().size(); i++, n++) {
                StoredEvent row = write.events().get(i);
                positions[n] = row.position().value();
                streamNames[n] = stream;
                categories[n] = category;
                versions[n] = row.version();
                ids[n] = row.event().eventId();
                types[n] = row.event().type();
                data[n] = row.event().data();
                metadata[n] = metadataJson[i];
            }
        }
        write.setArray(1, connection.createArrayOf("bigint", positions));
        write.setArray(2, connection.createArrayOf("text", streamNames));
        write.setArray(3, connection.createArrayOf("text", categories));
        write.setArray(4, connection.createArrayOf("bigint", versions));
        write.setArray(5, connection.createArrayOf("uuid", ids));
        write.setArray(6, connection.createArrayOf("text", types));
        write.setArray(7, connection.createArrayOf("text", data));
        write.setArray(8, connection.createArrayOf("text", metadata));
        write.execute();
        connection.commit(); // the statement committed already; this is a no-op unless the driver still sees a transaction
    }

    /** The metadata documents of a request's events, in order (the store computes them in the caller's thread). */
    public static String[] metadataJson(AppendRequest request) {
        String[] json = new String[request.events().size()];
        for (int i = 0; i < json.length; i++) json[i] = MetadataCodec.toJson(request.events().get(i).metadata());
        return json;
    }

    private void connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", "factum-writer:" + schema.name());
        Connection c = DriverManager.getConnection(jdbcUrl, props);
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try (java.sql.Statement session = c.createStatement()) {
                // Plan the append statements for each batch, with its arrays and the table as it is now. A cached
                // generic plan made while the table was small (and never analysed) reads it sequentially for every
                // batch until autovacuum's ANALYZE invalidates it: appends to a new store slowed tenfold that way.
                session.execute("SET plan_cache_mode = force_custom_plan");
            }
            c.commit();
            lockAndRead = c.prepareStatement(lockAndReadSql);
            write = c.prepareStatement(writeSql);
            connection = c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    /** Rolls back after a failure; drops the connection if it is broken, so the next batch opens a new one. */
    private void abandon(SQLException cause) {
        if (connection == null) return;
        boolean broken = cause != null && SqlErrors.isConnectionFailure(cause);
        if (!broken) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                broken = true;
            }
        }
        if (broken) {
            LOG.warn("{}: writer connection lost; reconnecting at the next append", storeName);
            closeConnection();
        }
    }

    private void closeConnection() {
        try {
            if (connection != null) connection.close();
        } catch (SQLException ignored) {
            // the connection is broken already
        } finally {
            connection = null;
            lockAndRead = null;
            write = null;
        }
    }

    private static String describe(List<AppendRequest> batch) {
        return batch.size() == 1 ? "append to " + batch.get(0).stream() : "group commit of " + batch.size() + " appends";
    }

    /** Closes the writer connection; call only after the committer's thread stopped. */
    @Override
    public void close() {
        closeConnection();
    }
}
