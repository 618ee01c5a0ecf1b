// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterNotFoundException;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.internal.DeadLetterJson;
import dev.factum.retry.internal.DeadLetterRefusals;
import dev.factum.sqlite.internal.ReadPool;
import dev.factum.sqlite.internal.WriterConnection;
import dev.factum.store.EventStoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Dead letters in the {@code dead_letters} table of the store's SQLite file, so they survive a restart and every
 * process sharing the file sees them. Headers and attempts are JSON text, the body is kept as given (any text), the
 * message type is copied out of the {@code factum-type} header for filtering, and times are epoch microseconds (finer
 * parts of an instant are cut). Get it from {@link SqliteEventStore#deadLetterStore()}.
 *
 * <p>Each write is one short transaction of the store's writer connection. {@link #addAttempt} appends to the stored
 * JSON array in place (and parks a {@code REPLAY_REQUESTED} letter again), {@link #requestReplay} is a conditional
 * {@code UPDATE … WHERE state = 'PARKED'} and {@link #resolve} one {@code … WHERE state IN ('PARKED',
 * 'REPLAY_REQUESTED')}, so none can lose a concurrent change, and a replay is requested once and a letter resolves
 * once, whoever tries. Failures of SQLite raise
 * {@link EventStoreException} naming the letter; after the store is closed,
 * {@link dev.factum.store.StoreClosedException}.
 *
 * @since 0.1
 */
public final class SqliteDeadLetterStore implements DeadLetterStore {
    private static final String COLUMNS = "id, consumer, headers, body, reason, stack_summary, attempts, dead_at, state,"
            + " resolution, resolved_at, replay_requested_at";
    private static final String INSERT = "INSERT INTO dead_letters (" + COLUMNS + ", message_type)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
    private static final String FIND = "SELECT " + COLUMNS + " FROM dead_letters WHERE id = ?";
    private static final String ADD_ATTEMPT = "UPDATE dead_letters SET attempts = json_insert(attempts, '$[#]', json(?)),"
            + " reason = ?, state = CASE state WHEN 'REPLAY_REQUESTED' THEN 'PARKED' ELSE state END WHERE id = ?";
    private static final String REQUEST_REPLAY = "UPDATE dead_letters SET state = 'REPLAY_REQUESTED',"
            + " replay_requested_at = ? WHERE id = ? AND state = 'PARKED' RETURNING " + COLUMNS;
    private static final String RESOLVE = "UPDATE dead_letters SET state = ?, resolution = ?, resolved_at = ?"
            + " WHERE id = ? AND state IN ('PARKED', 'REPLAY_REQUESTED') RETURNING " + COLUMNS;
    private static final String STATE = "SELECT state FROM dead_letters WHERE id = ?";
    private static final String PRUNE = "DELETE FROM dead_letters WHERE state IN ('REPLAYED', 'DISCARDED')"
            + " AND resolved_at < ?";

    private final WriterConnection writer;
    private final ReadPool readers;

    SqliteDeadLetterStore(WriterConnection writer, ReadPool readers) {
        this.writer = writer;
        this.readers = readers;
    }

    @Override
    public void add(DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        writer.write("park dead letter " + letter.id() + " of " + letter.consumer(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, letter.id().toString());
                insert.setString(2, letter.consumer());
                insert.setString(3, DeadLetterJson.headers(letter.headers()));
                insert.setString(4, letter.body());
                insert.setString(5, letter.reason());
                insert.setString(6, letter.stackSummary());
                insert.setString(7, DeadLetterJson.attempts(letter.attempts()));
                insert.setLong(8, micros(letter.deadAt()));
                insert.setString(9, letter.state().name());
                insert.setString(10, letter.resolution().orElse(null));
                setMicros(insert, 11, letter.resolvedAt());
                setMicros(insert, 12, letter.replayRequestedAt());
                insert.setString(13, letter.messageType().orElse(null));
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<DeadLetter> find(UUID id) {
        Objects.requireNonNull(id, "id");
        return readers.read("find dead letter " + id, lease -> {
            PreparedStatement select = lease.prepare(FIND);
            select.setString(1, id.toString());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(letter(row)) : Optional.empty();
            }
        });
    }

    @Override
    public List<DeadLetter> list(DeadLetterQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM dead_letters WHERE 1 = 1");
        List<Object> arguments = new ArrayList<>();
        query.consumer().ifPresent(c -> {
            sql.append(" AND consumer = ?");
            arguments.add(c);
        });
        query.type().ifPresent(t -> {
            sql.append(" AND message_type = ?");
            arguments.add(t);
        });
        query.state().ifPresent(s -> {
            sql.append(" AND state = ?");
            arguments.add(s.name());
        });
        query.deadBefore().ifPresent(before -> {
            sql.append(" AND dead_at < ?");
            arguments.add(micros(before));
        });
        sql.append(" ORDER BY dead_at DESC, id DESC LIMIT ?");
        arguments.add(query.limit());
        return readers.read("list dead letters", lease -> {
            PreparedStatement select = lease.prepare(sql.toString());
            for (int i = 0; i < arguments.size(); i++) select.setObject(i + 1, arguments.get(i));
            List<DeadLetter> letters = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) letters.add(letter(rows));
            }
            return letters;
        });
    }

    @Override
    public void addAttempt(UUID id, Attempt attempt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(attempt, "attempt");
        int updated = writer.write("add attempt " + attempt.number() + " to dead letter " + id, connection -> {
            try (PreparedStatement update = connection.prepareStatement(ADD_ATTEMPT)) {
                update.setString(1, DeadLetterJson.attemptJson(attempt));
                update.setString(2, attempt.error());
                update.setString(3, id.toString());
                return update.executeUpdate();
            }
        });
        if (updated == 0) throw new DeadLetterNotFoundException(id);
    }

    @Override
    public DeadLetter requestReplay(UUID id, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        return writer.write("request a replay of dead letter " + id, connection -> {
            try (PreparedStatement update = connection.prepareStatement(REQUEST_REPLAY)) {
                update.setLong(1, micros(at));
                update.setString(2, id.toString());
                try (ResultSet row = update.executeQuery()) {
                    if (row.next()) return letter(row);
                }
            }
            throw refusal(connection, id);
        });
    }

    @Override
    public DeadLetter resolve(UUID id, DeadLetterState state, String note, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(at, "at");
        if (!state.resolved()) {
            throw new IllegalArgumentException("a dead letter is resolved as replayed or discarded, not " + state);
        }
        return writer.write("resolve dead letter " + id + " as " + state.name().toLowerCase(), connection -> {
            try (PreparedStatement update = connection.prepareStatement(RESOLVE)) {
                update.setString(1, state.name());
                update.setString(2, note);
                update.setLong(3, micros(at));
                update.setString(4, id.toString());
                try (ResultSet row = update.executeQuery()) {
                    if (row.next()) return letter(row);
                }
            }
            throw refusal(connection, id);
        });
    }

    @Override
    public int pruneResolved(Instant before) {
        Objects.requireNonNull(before, "before");
        return writer.write("prune dead letters resolved before " + before, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(PRUNE)) {
                delete.setLong(1, micros(before));
                return delete.executeUpdate();
            }
        });
    }

    /** Why a conditional update changed nothing: no such letter, or its state forbids the change. */
    private static RuntimeException refusal(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(STATE)) {
            select.setString(1, id.toString());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) return new DeadLetterNotFoundException(id);
                return DeadLetterRefusals.inState(id, DeadLetterState.valueOf(row.getString(1)));
            }
        }
    }

    private static DeadLetter letter(ResultSet row) throws SQLException {
        UUID id = UUID.fromString(row.getString(1));
        try {
            return new DeadLetter(id, row.getString(2), DeadLetterJson.headers(row.getString(3)), row.getString(4),
                    row.getString(5), row.getString(6), DeadLetterJson.attempts(row.getString(7)),
                    instant(row.getLong(8)), DeadLetterState.valueOf(row.getString(9)),
                    Optional.ofNullable(row.getString(10)), optionalInstant(row, 11), optionalInstant(row, 12));
        } catch (IllegalArgumentException e) {
            throw new EventStoreException("dead letter " + id + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Optional<Instant> optionalInstant(ResultSet row, int column) throws SQLException {
        long micros = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(instant(micros));
    }

    private static void setMicros(PreparedStatement statement, int index, Optional<Instant> instant) throws SQLException {
        if (instant.isPresent()) statement.setLong(index, micros(instant.get()));
        else statement.setNull(index, java.sql.Types.INTEGER);
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
