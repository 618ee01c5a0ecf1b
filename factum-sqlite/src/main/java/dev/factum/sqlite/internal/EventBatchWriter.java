// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import dev.factum.event.NewEvent;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.store.internal.AppendPlanner;
import dev.factum.store.internal.AppendRequest;
import dev.factum.store.internal.GroupCommitter;
import dev.factum.store.internal.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Writes one group-commit batch in one transaction of the writer connection: {@code BEGIN IMMEDIATE} (SQLite's write
 * lock, also against other processes), read the last position, the version of each stream in the batch and the
 * stored events with the batch's ids, plan with {@link AppendPlanner}, insert the planned rows, {@code COMMIT}.
 * Positions are assigned while the write lock is held, so transactions commit in position order and the global order
 * has no gaps. After a commit that wrote events, the commit callbacks run (outside the lock).
 */
public final class EventBatchWriter implements GroupCommitter.BatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(EventBatchWriter.class);

    private static final String LAST_POSITION = "SELECT coalesce(max(position), 0) FROM events";
    /** The correlated max() is answered from the (stream, version) index with one seek per stream. */
    private static final String VERSIONS =
            "SELECT s.value, (SELECT max(version) FROM events WHERE stream = s.value) FROM json_each(?) AS s";
    private static final String EXISTING =
            "SELECT " + EventRows.COLUMNS + " FROM events WHERE event_id IN (SELECT value FROM json_each(?))";

    private final WriterConnection writer;
    private final Runnable afterCommit;
    private final PreparedStatement lastPosition;
    private final PreparedStatement versions;
    private final PreparedStatement existing;
    private final PreparedStatement insert;

    public EventBatchWriter(WriterConnection writer, Runnable afterCommit) throws SQLException {
        this.writer = writer;
        this.afterCommit = afterCommit;
        Connection connection = writer.connection();
        this.lastPosition = connection.prepareStatement(LAST_POSITION);
        this.versions = connection.prepareStatement(VERSIONS);
        this.existing = connection.prepareStatement(EXISTING);
        this.insert = connection.prepareStatement(EventRows.INSERT);
    }

    @Override
    public List<AppendPlanner.Outcome> write(List<AppendRequest> batch) throws Exception {
        List<AppendPlanner.Outcome> outcomes;
        try {
            outcomes = writer.inTransaction(connection -> planAndInsert(batch));
        } catch (SQLException e) {
            throw SqliteErrors.translate(describe(batch), e);
        }
        if (outcomes.stream().anyMatch(AppendPlanner.Write.class::isInstance)) signal();
        return outcomes;
    }

    private List<AppendPlanner.Outcome> planAndInsert(List<AppendRequest> batch) throws SQLException {
        insert.clearBatch(); // rows of an earlier attempt that failed must not be written with this one
        AppendPlanner planner = new AppendPlanner(versions(batch), existing(batch), lastPosition());
        List<AppendPlanner.Outcome> outcomes = planner.plan(batch);
        long recordedAt = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        int rows = 0;
        for (AppendPlanner.Outcome outcome : outcomes) {
            if (!(outcome instanceof AppendPlanner.Write write)) continue;
            for (StoredEvent event : write.events()) {
                EventRows.bind(insert, event, recordedAt);
                insert.addBatch();
                rows++;
            }
        }
        if (rows > 0) insert.executeBatch();
        return outcomes;
    }

    private Position lastPosition() throws SQLException {
        try (ResultSet row = lastPosition.executeQuery()) {
            row.next();
            return Position.of(row.getLong(1));
        }
    }

    private Map<StreamId, Long> versions(List<AppendRequest> batch) throws SQLException {
        Map<String, StreamId> streams = new HashMap<>();
        for (AppendRequest request : batch) streams.put(request.stream().toString(), request.stream());
        Map<StreamId, Long> result = new HashMap<>();
        versions.setString(1, jsonArray(streams.keySet()));
        try (ResultSet rows = versions.executeQuery()) {
            while (rows.next()) result.put(streams.get(rows.getString(1)), rows.getLong(2));
        }
        return result;
    }

    private Map<UUID, StoredEvent> existing(List<AppendRequest> batch) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        for (AppendRequest request : batch) {
            for (NewEvent event : request.events()) ids.add(event.eventId().toString());
        }
        Map<UUID, StoredEvent> result = new HashMap<>();
        existing.setString(1, jsonArray(ids));
        try (ResultSet rows = existing.executeQuery()) {
            while (rows.next()) {
                StoredEvent stored = EventRows.stored(rows);
                result.put(stored.event().eventId(), stored);
            }
        }
        return result;
    }

    private void signal() {
        try {
            afterCommit.run();
        } catch (RuntimeException e) {
            LOG.warn("a commit callback failed; the events are committed", e);
        }
    }

    /** A JSON array of strings, for {@code json_each(?)}. Stream names hold no control characters. */
    static String jsonArray(Collection<String> values) {
        StringBuilder json = new StringBuilder(values.size() * 40).append('[');
        for (String value : values) {
            if (json.length() > 1) json.append(',');
            json.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') json.append('\\');
                if (c < 0x20) json.append(String.format("\\u%04x", (int) c));
                else json.append(c);
            }
            json.append('"');
        }
        return json.append(']').toString();
    }

    private static String describe(List<AppendRequest> batch) {
        if (batch.size() == 1) return "append to " + batch.get(0).stream();
        return "group commit of " + batch.size() + " appends (to " + batch.stream().map(r -> r.stream().toString())
                .distinct().limit(3).collect(Collectors.joining(", ")) + (batch.size() > 3 ? ", …)" : ")");
    }
}
