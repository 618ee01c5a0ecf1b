// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.InvalidEventException;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.saga.SagaStatus;
import dev.factum.shop.order.view.ViewDatabase;
import dev.factum.subscription.EventBatch;
import dev.factum.subscription.Projection;
import dev.factum.subscription.ProjectionContext;
import dev.factum.subscription.StoreTransaction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The saga status read model of one saga type: one row per saga in {@code <saga>_status_g<generation>} (for the
 * order saga {@code order_saga_status_g1}), written through the checkpoint's transaction so a row and its checkpoint
 * commit together, on SQLite and PostgreSQL alike (portable SQL: {@code TEXT}, {@code INTEGER}, {@code BIGINT};
 * instants as ISO-8601 text). The status is derived from the saga engine's own event types (see
 * {@link SagaSummary#status()}), so the row needs neither the saga's definition nor its data. Events of a version the
 * row already shows are skipped; an event type the engine does not write is refused ({@link InvalidEventException}),
 * which stops this projection alone with the error.
 *
 * @since 0.1
 */
public final class SagaStatusProjection implements Projection {
    static final String COLUMNS = "saga_id, status, step, steps_done, failure, last_error, dead_letter, started_at, "
            + "updated_at, version, started_position, last_position";
    private static final ObjectMapper JSON = EventCodec.defaultMapper();

    private final ViewDatabase database;
    private final String saga;
    private final String name;
    private final String tableBase;

    /**
     * The read model of the sagas named {@code saga} (their streams' category, e.g. {@code OrderSaga}), in
     * {@code database}.
     *
     * @throws IllegalArgumentException if {@code saga} is not a letter followed by up to 40 letters or digits
     */
    public SagaStatusProjection(ViewDatabase database, String saga) {
        this.database = Objects.requireNonNull(database, "database");
        Objects.requireNonNull(saga, "saga");
        if (!saga.matches("[A-Za-z][A-Za-z0-9]{0,40}")) {
            throw new IllegalArgumentException("a saga name for the status read model is a letter followed by up to 40 "
                    + "letters or digits, got '" + saga + "'");
        }
        this.saga = saga;
        String kebab = saga.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        this.name = kebab + "-status";
        this.tableBase = kebab.replace('-', '_') + "_status_g";
    }

    /** The projection's name: the saga's name in kebab case and {@code -status} ({@code order-saga-status}). */
    @Override
    public String name() {
        return name;
    }

    /** The saga's name, whose streams it reads. */
    public String saga() {
        return saga;
    }

    @Override
    public Optional<String> category() {
        return Optional.of(saga);
    }

    /** The table of a generation, qualified. */
    String table(int generation) {
        return database.table(tableBase + generation);
    }

    @Override
    public void apply(EventBatch batch, ProjectionContext context) throws SQLException {
        Connection c = connection(batch.transaction());
        String table = table(context.generation());
        Map<String, Row> rows = new LinkedHashMap<>();
        for (RecordedEvent e : batch.events()) {
            String id = e.stream().id();
            Row row = rows.containsKey(id) ? rows.get(id) : load(c, table, id);
            if (row != null && e.version() <= row.version) continue;
            rows.put(id, evolve(row, e));
        }
        for (Row row : rows.values()) write(c, table, row);
    }

    /** The row after {@code e}: the fold behind {@link SagaSummary}. */
    private static Row evolve(Row before, RecordedEvent e) {
        JsonNode event = read(e);
        Instant at = Optional.ofNullable(text(event, "at")).map(Instant::parse).orElse(e.recordedAt());
        Row row = before != null ? before.copy()
                : new Row(e.stream().id(), SagaStatus.RUNNING, null, 0, null, null, null, at, at, 0,
                e.position().value(), 0, true);
        String step = text(event, "step");
        if (step != null) row.step = step;
        switch (e.type()) {
            case "SagaStarted", "StepStarted", "StepAwaiting", "CompensationStarted", "CompensationAwaiting",
                 "SagaCompleted", "SagaCompensated", "SagaResolved" -> { }
            case "StepSucceeded" -> {
                row.stepsDone++;
                row.lastError = null;
            }
            case "StepFailed", "CompensationFailed" -> row.lastError = text(event, "error");
            case "StepTimedOut" -> row.lastError = "timed out";
            case "StepRefused" -> row.failure = text(event, "reason");
            case "Compensating" -> {
                row.failure = text(event, "reason");
                row.lastError = null;
            }
            case "CompensationSucceeded" -> row.lastError = null;
            case "SagaParked" -> {
                row.deadLetter = text(event, "deadLetter");
                row.lastError = text(event, "error");
            }
            case "SagaRetried" -> {
                row.deadLetter = null;
                row.lastError = null;
            }
            default -> throw new InvalidEventException("event " + e.type() + " at " + e.stream() + " version "
                    + e.version() + " is not a saga event");
        }
        row.status = switch (e.type()) {
            case "SagaStarted" -> SagaStatus.RUNNING;
            case "Compensating", "SagaRetried" -> SagaStatus.COMPENSATING;
            case "SagaCompleted" -> SagaStatus.COMPLETED;
            case "SagaCompensated" -> SagaStatus.COMPENSATED;
            case "SagaParked" -> SagaStatus.NEEDS_ATTENTION;
            case "SagaResolved" -> SagaStatus.RESOLVED;
            default -> row.status;
        };
        if (e.type().equals("SagaStarted")) row.startedAt = at;
        row.updatedAt = at;
        row.version = e.version();
        row.lastPosition = e.position().value();
        return row;
    }

    @Override
    public void createGeneration(int generation, StoreTransaction transaction) throws SQLException {
        execute(transaction, "CREATE TABLE IF NOT EXISTS " + table(generation) + " (saga_id TEXT PRIMARY KEY, "
                + "status TEXT NOT NULL, step TEXT, steps_done INTEGER NOT NULL, failure TEXT, last_error TEXT, "
                + "dead_letter TEXT, started_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL, "
                + "started_position BIGINT NOT NULL, last_position BIGINT NOT NULL)");
        execute(transaction, "CREATE INDEX IF NOT EXISTS " + tableBase + generation + "_status ON " + table(generation)
                + " (status, started_position)");
        execute(transaction, "CREATE INDEX IF NOT EXISTS " + tableBase + generation + "_started ON " + table(generation)
                + " (started_position)");
    }

    @Override
    public void dropGeneration(int generation, StoreTransaction transaction) throws SQLException {
        execute(transaction, "DROP TABLE IF EXISTS " + table(generation));
    }

    /** The summary in the row {@code r} (columns {@link #COLUMNS}) of sagas named {@code saga}. */
    static SagaSummary summary(String saga, ResultSet r) throws SQLException {
        return new SagaSummary(r.getString("saga_id"), saga, SagaStatus.valueOf(r.getString("status")),
                Optional.ofNullable(r.getString("step")), r.getInt("steps_done"), Optional.ofNullable(r.getString("failure")),
                Optional.ofNullable(r.getString("last_error")),
                Optional.ofNullable(r.getString("dead_letter")).map(UUID::fromString),
                Instant.parse(r.getString("started_at")), Instant.parse(r.getString("updated_at")), r.getLong("version"));
    }

    private static JsonNode read(RecordedEvent e) {
        try {
            return JSON.readTree(e.data());
        } catch (Exception x) {
            throw new InvalidEventException("saga event " + e.type() + " at " + e.stream() + " version " + e.version()
                    + " is unreadable: " + x.getMessage(), x);
        }
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Connection connection(StoreTransaction transaction) {
        return transaction.connection().orElseThrow(() -> new IllegalStateException(
                "the saga status read model is SQL: run it on a SQLite or PostgreSQL store"));
    }

    private static void execute(StoreTransaction transaction, String sql) throws SQLException {
        try (Statement s = connection(transaction).createStatement()) {
            s.execute(sql);
        }
    }

    private static Row load(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " WHERE saga_id = ?")) {
            q.setString(1, id);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) return null;
                return new Row(id, SagaStatus.valueOf(r.getString("status")), r.getString("step"), r.getInt("steps_done"),
                        r.getString("failure"), r.getString("last_error"), r.getString("dead_letter"),
                        Instant.parse(r.getString("started_at")), Instant.parse(r.getString("updated_at")),
                        r.getLong("version"), r.getLong("started_position"), r.getLong("last_position"), false);
            }
        }
    }

    private static void write(Connection c, String table, Row row) throws SQLException {
        String sql = row.isNew
                ? "INSERT INTO " + table + " (status, step, steps_done, failure, last_error, dead_letter, started_at, "
                + "updated_at, version, started_position, last_position, saga_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE " + table + " SET status = ?, step = ?, steps_done = ?, failure = ?, last_error = ?, "
                + "dead_letter = ?, started_at = ?, updated_at = ?, version = ?, started_position = ?, last_position = ? "
                + "WHERE saga_id = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, row.status.name());
            nullable(s, 2, row.step);
            s.setInt(3, row.stepsDone);
            nullable(s, 4, row.failure);
            nullable(s, 5, row.lastError);
            nullable(s, 6, row.deadLetter);
            s.setString(7, row.startedAt.toString());
            s.setString(8, row.updatedAt.toString());
            s.setLong(9, row.version);
            s.setLong(10, row.startedPosition);
            s.setLong(11, row.lastPosition);
            s.setString(12, row.sagaId);
            s.executeUpdate();
        }
    }

    private static void nullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) s.setNull(index, Types.VARCHAR);
        else s.setString(index, value);
    }

    /** A row being folded (mutable only inside one {@link #apply}). */
    private static final class Row {
        final String sagaId;
        SagaStatus status;
        String step;
        int stepsDone;
        String failure;
        String lastError;
        String deadLetter;
        Instant startedAt;
        Instant updatedAt;
        long version;
        final long startedPosition;
        long lastPosition;
        final boolean isNew;

        Row(String sagaId, SagaStatus status, String step, int stepsDone, String failure, String lastError,
            String deadLetter, Instant startedAt, Instant updatedAt, long version, long startedPosition,
            long lastPosition, boolean isNew) {
            this.sagaId = sagaId;
            this.status = status;
            this.step = step;
            this.stepsDone = stepsDone;
            this.failure = failure;
            this.lastError = lastError;
            this.deadLetter = deadLetter;
            this.startedAt = startedAt;
            this.updatedAt = updatedAt;
            this.version = version;
            this.startedPosition = startedPosition;
            this.lastPosition = lastPosition;
            this.isNew = isNew;
        }

        Row copy() {
            return new Row(sagaId, status, step, stepsDone, failure, lastError, deadLetter, startedAt, updatedAt,
                    version, startedPosition, lastPosition, isNew);
        }
    }
}
