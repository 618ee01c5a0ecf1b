// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventDecodingException;
import dev.factum.event.codec.MetadataCodec;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.store.internal.StoredEvent;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Rows of the {@code events} table and the events they hold. A row that cannot become an event (unreadable metadata,
 * a malformed stream name) raises an {@link EventDecodingException} naming its type and position.
 */
public final class EventRows {
    /** The columns {@link #recorded} and {@link #stored} read, in this order. */
    public static final String COLUMNS =
            "position, stream, category, version, event_id, type, data, metadata, recorded_at";

    public static final String INSERT = "INSERT INTO events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private EventRows() {
    }

    /** Binds one planned event to {@link #INSERT}; {@code recordedAt} in epoch microseconds. */
    public static void bind(PreparedStatement insert, StoredEvent event, long recordedAt) throws SQLException {
        NewEvent e = event.event();
        insert.setLong(1, event.position().value());
        insert.setString(2, event.stream().toString());
        insert.setString(3, event.stream().category());
        insert.setLong(4, event.version());
        insert.setString(5, e.eventId().toString());
        insert.setString(6, e.type());
        insert.setString(7, e.data());
        insert.setString(8, MetadataCodec.toJson(e.metadata()));
        insert.setLong(9, recordedAt);
    }

    /**
     * The event in the current row, as a reader sees it. {@code streams} caches parsed stream names across the rows
     * of one read (pass a new map per read).
     */
    public static RecordedEvent recorded(ResultSet row, Map<String, StreamId> streams) throws SQLException {
        long position = row.getLong(1);
        String type = row.getString(6);
        try {
            String name = row.getString(2);
            StreamId stream = streams.get(name);
            if (stream == null) {
                stream = stream(row);
                streams.put(name, stream);
            }
            return new RecordedEvent(stream, row.getLong(4), Position.of(position), type, row.getString(7),
                    metadata(row, type, position), Instant.EPOCH.plus(row.getLong(9), ChronoUnit.MICROS));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new EventDecodingException(type, Position.of(position), "its row is malformed: " + e.getMessage(), e);
        }
    }

    /** The event in the current row, as the append planner needs it to check idempotency. */
    public static StoredEvent stored(ResultSet row) throws SQLException {
        long position = row.getLong(1);
        String type = row.getString(6);
        try {
            return new StoredEvent(stream(row), row.getLong(4), Position.of(position),
                    new NewEvent(type, row.getString(7), metadata(row, type, position)));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new EventDecodingException(type, Position.of(position), "its row is malformed: " + e.getMessage(), e);
        }
    }

    private static StreamId stream(ResultSet row) throws SQLException {
        String stream = row.getString(2);
        String category = row.getString(3);
        if (!stream.startsWith(category + "-")) {
            throw new IllegalArgumentException("stream '" + stream + "' is not of category '" + category + "'");
        }
        return StreamId.of(category, stream.substring(category.length() + 1));
    }

    private static Metadata metadata(ResultSet row, String type, long position) throws SQLException {
        try {
            return MetadataCodec.fromJson(row.getString(8));
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException(type, Position.of(position),
                    "its stored metadata is unreadable: " + e.getMessage(), e);
        }
    }
}
