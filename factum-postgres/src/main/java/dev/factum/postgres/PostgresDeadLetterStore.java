// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.postgres.internal.SchemaName;
import dev.factum.postgres.internal.SqlErrors;
import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterNotFoundException;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.internal.DeadLetterJson;
import dev.factum.retry.internal.DeadLetterRefusals;
import dev.factum.store.EventStoreException;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Dead letters in the store's schema ({@code dead_letters} table), seen by every process sharing it. Headers and
 * attempts are JSON text, the body UTF-8 bytes (so any text survives, NUL included), the message type is copied out of
 * the {@code factum-type} header for filtering, and times are kept to the microsecond (finer parts are cut).
 * PostgreSQL text cannot hold NUL: in the diagnostic texts — reason, stack summary, resolution — it is stored as
 * U+FFFD. Get it from {@link PostgresEventStore#deadLetterStore()}.
 *
 * <p>{@link #addAttempt} locks the row ({@code SELECT … FOR UPDATE}) and rewrites its attempts in the same
 * transaction (parking a {@code REPLAY_REQUESTED} letter again); {@link #requestReplay} is one conditional
 * {@code UPDATE … WHERE state = 'PARKED'} and {@link #resolve} one {@code … WHERE state IN ('PARKED',
 * 'REPLAY_REQUESTED')}: a concurrent change is never lost, and a replay is requested once and a letter resolves once,
 * whoever tries, in whichever process. Failures raise
 * {@link EventStoreException} naming the letter and the store.
 *
 * @since 0.1
 */
public final class PostgresDeadLetterStore implements DeadLetterStore {
    private static final String COLUMNS = "id, consumer, headers, body, reason, stack_summary, attempts, dead_at, state,"
            + " resolution, resolved_at, replay_requested_at";

    private final DataSource pool;
    private final String storeName;
    private final String table;
    private final String insertSql;
    private final String findSql;
    private final String lockAttemptsSql;
    private final String updateAttemptsSql;
    private final String requestReplaySql;
    private final String resolveSql;
    private final String stateSql;
    private final String pruneSql;

    PostgresDeadLetterStore(DataSource pool, SchemaName schema, String storeName) {
        this.pool = pool;
        this.storeName = storeName;
        this.table = schema.table("dead_letters");
        this.insertSql = "INSERT INTO " + table + " (" + COLUMNS + ", message_type)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
        this.findSql = "SELECT " + COLUMNS + " FROM " + table + " WHERE id = ?";
        this.lockAttemptsSql = "SELECT attempts FROM " + table + " WHERE id = ? FOR UPDATE";
        this.updateAttemptsSql = "UPDATE " + table + " SET attempts = ?, reason = ?,"
                + " state = CASE state WHEN 'REPLAY_REQUESTED' THEN 'PARKED' ELSE state END WHERE id = ?";
        this.requestReplaySql = "UPDATE " + table + " SET state = 'REPLAY_REQUESTED', replay_requested_at = ?"
                + " WHERE id = ? AND state = 'PARKED' RETURNING " + COLUMNS;
        this.resolveSql = "UPDATE " + table + " SET state = ?, resolution = ?, resolved_at = ?"
                + " WHERE id = ? AND state IN ('PARKED', 'REPLAY_REQUESTED') RETURNING " + COLUMNS;
        this.stateSql = "SELECT state FROM " + table + " WHERE id = ?";
        this.pruneSql = "DELETE FROM " + table + " WHERE state IN ('REPLAYED', 'DISCARDED') AND resolved_at < ?";
    }

    @Override
    public void add(DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        try (Connection c = pool.getConnection(); PreparedStatement insert = c.prepareStatement(insertSql)) {
            insert.setObject(1, letter.id());
            insert.setString(2, letter.consumer());
            insert.setString(3, DeadLetterJson.headers(letter.headers()));
            insert.setBytes(4, letter.body().getBytes(StandardCharsets.UTF_8));
            insert.setString(5, storable(letter.reason()));
            insert.setString(6, storable(letter.stackSummary()));
            insert.setString(7, DeadLetterJson.attempts(letter.attempts()));
            insert.setObject(8, PostgresInbox.timestamp(letter.deadAt()));
            insert.setString(9, letter.state().name());
            insert.setString(10, letter.resolution().map(PostgresDeadLetterStore::storable).orElse(null));
            insert.setObject(11, letter.resolvedAt().map(PostgresInbox::timestamp).orElse(null));
            insert.setObject(12, letter.replayRequestedAt().map(PostgresInbox::timestamp).orElse(null));
            insert.setString(13, letter.messageType().orElse(null));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("parking dead letter " + letter.id() + " of " + letter.consumer(), storeName, e);
        }
    }

    @Override
    public Optional<DeadLetter> find(UUID id) {
        Objects.requireNonNull(id, "id");
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(findSql)) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(letter(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("finding dead letter " + id, storeName, e);
        }
    }

    @Override
    public List<DeadLetter> list(DeadLetterQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + table + " WHERE true");
        List<Object> arguments = new ArrayList<>();
        query.consumer().ifPresent(consumer -> {
            sql.append(" AND consumer = ?");
            arguments.add(consumer);
        });
        query.type().ifPresent(type -> {
            sql.append(" AND message_type = ?");
            arguments.add(type);
        });
        query.state().ifPresent(state -> {
            sql.append(" AND state = ?");
            arguments.add(state.name());
        });
        query.deadBefore().ifPresent(before -> {
            sql.append(" AND dead_at < ?");
            arguments.add(PostgresInbox.timestamp(before));
        });
        sql.append(" ORDER BY dead_at DESC, id DESC LIMIT ?");
        arguments.add(query.limit());
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < arguments.size(); i++) select.setObject(i + 1, arguments.get(i));
            List<DeadLetter> letters = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) letters.add(letter(rows));
            }
            return letters;
        } catch (SQLException e) {
            throw SqlErrors.translate("listing dead letters", storeName, e);
        }
    }

    @Override
    public void addAttempt(UUID id, Attempt attempt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(attempt, "attempt");
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Attempt> attempts;
                try (PreparedStatement lock = c.prepareStatement(lockAttemptsSql)) {
                    lock.setObject(1, id);
                    try (ResultSet row = lock.executeQuery()) {
                        if (!row.next()) throw new DeadLetterNotFoundException(id);
                        attempts = new ArrayList<>(attempts(id, row.getString(1)));
                    }
                }
                attempts.add(attempt);
                try (PreparedStatement update = c.prepareStatement(updateAttemptsSql)) {
                    update.setString(1, DeadLetterJson.attempts(attempts));
                    update.setString(2, storable(attempt.error()));
                    update.setObject(3, id);
                    update.executeUpdate();
                }
                c.commit();
            } catch (Throwable e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                if (!c.isClosed()) c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("adding attempt " + attempt.number() + " to dead letter " + id, storeName, e);
        }
    }

    @Override
    public DeadLetter requestReplay(UUID id, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement update = c.prepareStatement(requestReplaySql)) {
                update.setObject(1, PostgresInbox.timestamp(at));
                update.setObject(2, id);
                try (ResultSet row = update.executeQuery()) {
                    if (row.next()) return letter(row);
                }
            }
            throw refusal(c, id);
        } catch (SQLException e) {
            throw SqlErrors.translate("requesting a replay of dead letter " + id, storeName, e);
        }
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
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement update = c.prepareStatement(resolveSql)) {
                update.setString(1, state.name());
                update.setString(2, storable(note));
                update.setObject(3, PostgresInbox.timestamp(at));
                update.setObject(4, id);
                try (ResultSet row = update.executeQuery()) {
                    if (row.next()) return letter(row);
                }
            }
            throw refusal(c, id);
        } catch (SQLException e) {
            throw SqlErrors.translate("resolving dead letter " + id + " as " + state.name().toLowerCase(), storeName, e);
        }
    }

    /** Why a conditional update changed nothing: no such letter, or its state forbids the change. */
    private RuntimeException refusal(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(stateSql)) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) return new DeadLetterNotFoundException(id);
                return DeadLetterRefusals.inState(id, DeadLetterState.valueOf(row.getString(1)));
            }
        }
    }

    @Override
    public int pruneResolved(Instant before) {
        Objects.requireNonNull(before, "before");
        try (Connection c = pool.getConnection(); PreparedStatement delete = c.prepareStatement(pruneSql)) {
            delete.setObject(1, PostgresInbox.timestamp(before));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("pruning dead letters resolved before " + before, storeName, e);
        }
    }

    private static DeadLetter letter(ResultSet row) throws SQLException {
        UUID id = row.getObject(1, UUID.class);
        OffsetDateTime resolvedAt = row.getObject(11, OffsetDateTime.class);
        OffsetDateTime replayRequestedAt = row.getObject(12, OffsetDateTime.class);
        try {
            return new DeadLetter(id, row.getString(2), DeadLetterJson.headers(row.getString(3)),
                    new String(row.getBytes(4), StandardCharsets.UTF_8), row.getString(5), row.getString(6),
                    DeadLetterJson.attempts(row.getString(7)), row.getObject(8, OffsetDateTime.class).toInstant(),
                    DeadLetterState.valueOf(row.getString(9)), Optional.ofNullable(row.getString(10)),
                    Optional.ofNullable(resolvedAt).map(OffsetDateTime::toInstant),
                    Optional.ofNullable(replayRequestedAt).map(OffsetDateTime::toInstant));
        } catch (IllegalArgumentException e) {
            throw new EventStoreException("dead letter " + id + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<Attempt> attempts(UUID id, String json) {
        try {
            return DeadLetterJson.attempts(json);
        } catch (IllegalArgumentException e) {
            throw new EventStoreException("dead letter " + id + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** PostgreSQL text cannot hold NUL; diagnostic text keeps a visible stand-in instead of failing to park. */
    private static String storable(String text) {
        return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }
}
