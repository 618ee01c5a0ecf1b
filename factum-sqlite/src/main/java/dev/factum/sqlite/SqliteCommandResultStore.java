// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.command.CommandClaim;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.command.CompletedCommand;
import dev.factum.command.internal.ResultJson;
import dev.factum.sqlite.internal.ReadPool;
import dev.factum.sqlite.internal.WriterConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The commands done (or running) for {@link dev.factum.command.CommandInterceptors#idempotency}, in the
 * {@code command_results} table of the store's SQLite file, so that a resend answers the first result after a restart
 * and across the processes sharing the file. Get it from {@link SqliteEventStore#commandResultStore(CommandResultOptions)}.
 *
 * <p>{@link #claim} reads the id's row and inserts or takes over the claim in one write transaction
 * ({@code BEGIN IMMEDIATE}, SQLite's write lock), so of concurrent claims in any number of processes one at most is
 * granted. {@link #save} writes the result (class name and JSON, see {@link CommandResultStore}) over the claim
 * unless a result is there already; {@link #release} deletes the claim if it is still this claim's. Each is one short
 * write transaction of the store's writer connection, taken in turn with the appends: a command costs two commits
 * more than its events. A process that dies between claim and result leaves a claim that is abandoned after the
 * claim timeout; the next send of the id then runs the handler again.
 *
 * <p>Rows older than the retention are forgotten at once (not found, claimable again) and deleted by {@link #prune},
 * which a claim runs first at most once a minute. Times come from {@link CommandResultOptions#clock()} and are kept
 * in epoch microseconds: processes sharing a file should have synchronised clocks. Failures of SQLite raise
 * {@link dev.factum.store.EventStoreException} naming the command; a claim, save or release from inside a checkpoint's
 * work of the same store is refused with an {@link IllegalStateException}.
 *
 * @since 0.1
 */
public final class SqliteCommandResultStore implements CommandResultStore {
    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);
    private static final String FIND = "SELECT command_type, result_type, result FROM command_results"
            + " WHERE command_id = ? AND result_type IS NOT NULL AND recorded_at >= ?";
    private static final String ROW = "SELECT command_type, claim_id, claimed_at, result_type, result, recorded_at"
            + " FROM command_results WHERE command_id = ?";
    private static final String INSERT_CLAIM = "INSERT INTO command_results"
            + " (command_id, command_type, claim_id, claimed_at, recorded_at) VALUES (?, ?, ?, ?, ?)";
    private static final String TAKE_OVER = "UPDATE command_results SET command_type = ?, claim_id = ?, claimed_at = ?,"
            + " result_type = NULL, result = NULL, recorded_at = ? WHERE command_id = ?";
    private static final String SAVE = """
            INSERT INTO command_results (command_id, command_type, claim_id, claimed_at, result_type, result, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (command_id) DO UPDATE SET command_type = excluded.command_type,
                result_type = excluded.result_type, result = excluded.result, recorded_at = excluded.recorded_at
            WHERE command_results.result_type IS NULL OR command_results.recorded_at < ?""";
    private static final String RELEASE = "DELETE FROM command_results"
            + " WHERE command_id = ? AND claim_id = ? AND result_type IS NULL";
    private static final String PRUNE = "DELETE FROM command_results WHERE recorded_at < ?";

    private final WriterConnection writer;
    private final ReadPool readers;
    private final CommandResultOptions options;
    private Instant lastPrune = Instant.MIN; // guarded by the writer's transaction

    SqliteCommandResultStore(WriterConnection writer, ReadPool readers, CommandResultOptions options) {
        this.writer = writer;
        this.readers = readers;
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The retention, claim timeout and clock this store works with. */
    public CommandResultOptions options() {
        return options;
    }

    @Override
    public Optional<CompletedCommand> find(UUID commandId) {
        Objects.requireNonNull(commandId, "commandId");
        Instant now = options.clock().instant();
        return readers.read("find command " + commandId, lease -> {
            PreparedStatement select = lease.prepare(FIND);
            select.setString(1, commandId.toString());
            select.setLong(2, micros(options.forgottenBefore(now)));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) return Optional.empty();
                Object result = ResultJson.decode(commandId, row.getString(2), row.getString(3));
                return Optional.of(new CompletedCommand(commandId, row.getString(1), result));
            }
        });
    }

    @Override
    public CommandClaim claim(UUID commandId, String commandType) {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(commandType, "commandType");
        return writer.write("claim command " + commandId, connection -> {
            Instant now = options.clock().instant();
            if (!now.isBefore(lastPrune.plus(PRUNE_INTERVAL))) delete(connection, now);
            UUID claimId = UUID.randomUUID();
            try (PreparedStatement select = connection.prepareStatement(ROW)) {
                select.setString(1, commandId.toString());
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        insertClaim(connection, commandId, commandType, claimId, now);
                        return new CommandClaim.Claimed(commandId, claimId);
                    }
                    boolean done = row.getString(4) != null;
                    if (done && row.getLong(6) >= micros(options.forgottenBefore(now))) {
                        Object result = ResultJson.decode(commandId, row.getString(4), row.getString(5));
                        return new CommandClaim.Done(new CompletedCommand(commandId, row.getString(1), result));
                    }
                    if (!done && row.getLong(3) > micros(options.abandonedBefore(now))) {
                        return new CommandClaim.Running(commandId, row.getString(1), instant(row.getLong(3)));
                    }
                }
            }
            takeOver(connection, commandId, commandType, claimId, now); // forgotten, or abandoned
            return new CommandClaim.Claimed(commandId, claimId);
        });
    }

    @Override
    public void save(CompletedCommand completed) {
        Objects.requireNonNull(completed, "completed");
        ResultJson.Encoded result = ResultJson.encode(completed.commandId(), completed.result());
        writer.write("save the result of command " + completed.commandId(), connection -> {
            Instant now = options.clock().instant();
            try (PreparedStatement upsert = connection.prepareStatement(SAVE)) {
                upsert.setString(1, completed.commandId().toString());
                upsert.setString(2, completed.commandType());
                upsert.setString(3, UUID.randomUUID().toString());
                upsert.setLong(4, micros(now));
                upsert.setString(5, result.type());
                upsert.setString(6, result.json());
                upsert.setLong(7, micros(now));
                upsert.setLong(8, micros(options.forgottenBefore(now)));
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void release(CommandClaim.Claimed claim) {
        Objects.requireNonNull(claim, "claim");
        writer.write("release the claim on command " + claim.commandId(), connection -> {
            try (PreparedStatement delete = connection.prepareStatement(RELEASE)) {
                delete.setString(1, claim.commandId().toString());
                delete.setString(2, claim.claimId().toString());
                delete.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int prune() {
        return writer.write("prune command results", connection -> delete(connection, options.clock().instant()));
    }

    private int delete(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(PRUNE)) {
            delete.setLong(1, micros(options.forgottenBefore(now)));
            int deleted = delete.executeUpdate();
            lastPrune = now;
            return deleted;
        }
    }

    private static void insertClaim(Connection connection, UUID commandId, String commandType, UUID claimId,
                                    Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_CLAIM)) {
            insert.setString(1, commandId.toString());
            insert.setString(2, commandType);
            insert.setString(3, claimId.toString());
            insert.setLong(4, micros(now));
            insert.setLong(5, micros(now));
            insert.executeUpdate();
        }
    }

    private static void takeOver(Connection connection, UUID commandId, String commandType, UUID claimId,
                                 Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(TAKE_OVER)) {
            update.setString(1, commandType);
            update.setString(2, claimId.toString());
            update.setLong(3, micros(now));
            update.setLong(4, micros(now));
            update.setString(5, commandId.toString());
            update.executeUpdate();
        }
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
