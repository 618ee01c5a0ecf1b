// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres.internal;

import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventDecodingException;
import dev.factum.event.codec.MetadataCodec;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreStatistics;
import dev.factum.store.StreamId;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The read side over the pool: plain queries in auto-commit mode, and the mapping of rows to {@link RecordedEvent}s.
 * {@code readAll} needs no gap check: positions commit in order (see {@link AppendWriter}), so every snapshot holds
 * a gap-free prefix of the global order.
 */
public final class EventReader {
    private static final String COLUMNS = "position, stream, category, version, type, data::text, metadata::text, recorded_at";

    private static final int STREAM_CACHE_SIZE = 10_000;

    private final Map<String, StreamId> streams = new ConcurrentHashMap<>();
    private final DataSource pool;
    private final String storeName;
    private final String readAllSql;
    private final String readCategorySql;
    private final String forwardSql;
    private final String backwardSql;
    private final String versionSql;
    private final String headSql;
    private final String countsSql;

    public EventReader(DataSource pool, SchemaName schema, String storeName) {
        this.pool = pool;
        this.storeName = storeName;
        String events = schema.table("events");
        this.readAllSql = "SELECT " + COLUMNS + " FROM " + events + " WHERE position > ? ORDER BY position LIMIT ?";
        this.readCategorySql = "SELECT " + COLUMNS + " FROM " + events
                + " WHERE category = ? AND position > ? ORDER BY position LIMIT ?";
        this.forwardSql = "SELECT " + COLUMNS + " FROM " + events
                + " WHERE stream = ? AND version >= ? ORDER BY version LIMIT ?";
        this.backwardSql = "SELECT " + COLUMNS + " FROM " + events
                + " WHERE stream = ? AND version <= ? ORDER BY version DESC LIMIT ?";
        this.versionSql = "SELECT coalesce(max(version), 0) FROM " + events + " WHERE stream = ?";
        this.headSql = "SELECT coalesce(max(position), 0) FROM " + events;
        this.countsSql = "SELECT category, count(*), count(DISTINCT stream) FROM " + events + " GROUP BY category";
    }

    public List<RecordedEvent> readAll(ReadAllOptions options) {
        try (Connection c = pool.getConnection()) {
            PreparedStatement query;
            if (options.category().isPresent()) {
                query = c.prepareStatement(readCategorySql);
                query.setString(1, options.category().get());
                query.setLong(2, options.after().value());
                query.setInt(3, options.limit());
            } else {
                query = c.prepareStatement(readAllSql);
                query.setLong(1, options.after().value());
                query.setInt(2, options.limit());
            }
            try (query) {
                return events(query);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("readAll after position " + options.after(), storeName, e);
        }
    }

    public List<RecordedEvent> readStream(StreamId stream, ReadStreamOptions options) {
        boolean forward = options.direction() == ReadStreamOptions.Direction.FORWARD;
        try (Connection c = pool.getConnection();
             PreparedStatement query = c.prepareStatement(forward ? forwardSql : backwardSql)) {
            query.setString(1, stream.toString());
            query.setLong(2, options.fromVersion());
            query.setInt(3, options.limit());
            return events(query);
        } catch (SQLException e) {
            throw SqlErrors.translate("readStream of " + stream, storeName, e);
        }
    }

    public long streamVersion(StreamId stream) {
        try (Connection c = pool.getConnection(); PreparedStatement query = c.prepareStatement(versionSql)) {
            query.setString(1, stream.toString());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("streamVersion of " + stream, storeName, e);
        }
    }

    public Position headPosition() {
        try (Connection c = pool.getConnection()) {
            return head(c);
        } catch (SQLException e) {
            throw SqlErrors.translate("headPosition", storeName, e);
        }
    }

    /** Counts in one repeatable-read transaction, so events, streams and head agree with each other. */
    public StoreStatistics statistics(String description) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                Position head = head(c);
                Map<String, Long> byCategory = new TreeMap<>();
                long events = 0;
                long streams = 0;
                try (Statement query = c.createStatement(); ResultSet rows = query.executeQuery(countsSql)) {
                    while (rows.next()) {
                        byCategory.put(rows.getString(1), rows.getLong(2));
                        events += rows.getLong(2);
                        streams += rows.getLong(3); // a stream belongs to exactly one category
                    }
                }
                c.commit();
                return new StoreStatistics(events, streams, head, Collections.unmodifiableMap(byCategory), description);
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("statistics", storeName, e);
        }
    }

    private Position head(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(headSql); ResultSet rows = query.executeQuery()) {
            rows.next();
            return Position.of(rows.getLong(1));
        }
    }

    private List<RecordedEvent> events(PreparedStatement query) throws SQLException {
        List<RecordedEvent> out = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) out.add(event(rows));
        }
        return out;
    }

    /** The stream of a row; recently seen ones are reused, sparing a catch-up read the validation of each name. */
    private StreamId stream(String name, String category) {
        StreamId known = streams.get(name);
        if (known != null) return known;
        StreamId parsed = StreamId.of(category, name.substring(category.length() + 1));
        if (streams.size() >= STREAM_CACHE_SIZE) streams.clear();
        streams.put(name, parsed);
        return parsed;
    }

    /**
     * Maps a row of {@link #COLUMNS}. A row that does not make an event (metadata of a foreign shape, a malformed stream
     * name — only possible if something other than this store wrote it) raises {@link EventDecodingException} naming
     * its type and position.
     */
    private RecordedEvent event(ResultSet rows) throws SQLException {
        Position position = Position.of(rows.getLong(1));
        String type = rows.getString(5);
        try {
            return new RecordedEvent(stream(rows.getString(2), rows.getString(3)), rows.getLong(4), position, type,
                    rows.getString(6), MetadataCodec.fromJson(rows.getString(7)),
                    rows.getObject(8, OffsetDateTime.class).toInstant());
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException(type, position, "its row is malformed: " + e.getMessage(), e);
        }
    }
}
