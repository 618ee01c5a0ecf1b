// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.command.CommandClaim;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.command.CompletedCommand;
import dev.factum.command.internal.ResultJson;
import dev.factum.postgres.internal.SchemaName;
import dev.factum.postgres.internal.SqlErrors;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The commands done (or running) for {@link dev.factum.command.CommandInterceptors#idempotency}, in the store's
 * schema ({@code command_results} table), so that a resend answers the first result after a restart and from any
 * process sharing the schema. Get it from {@link PostgresEventStore#commandResultStore(CommandResultOptions)}.
 *
 * <p>{@link #claim} runs one transaction: insert a claim row with {@code ON CONFLICT DO NOTHING}; if the id has a row
 * already, lock it ({@code SELECT … FOR UPDATE}) and answer its result, report the live claim, or take the claim over
 * when the row is forgotten or the claim abandoned. The primary key and the row lock make one claim at most win among
 * concurrent ones in any number of processes. {@link #save} writes the result (class name and JSON, see
 * {@link CommandResultStore}) over the claim unless a result is there already; {@link #release} deletes the claim if
 * it is still this claim's. A process that dies between claim and result leaves a claim that is abandoned after the
 * claim timeout; the next send of the id then runs the handler again.
 *
 * <p>Rows older than the retention are forgotten at once (not found, claimable again) and deleted by {@link #prune},
 * which a claim runs first at most once a minute per store object. Times come from
 * {@link CommandResultOptions#clock()} (kept to the microsecond): processes sharing a schema should have synchronised
 * clocks. Failures raise {@link dev.factum.store.EventStoreException} naming the command and the store.
 *
 * @since 0.1
 */
public final class PostgresCommandResultStore implements CommandResultStore {
    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

    private final DataSource pool;
    private final String storeName;
    private final CommandResultOptions options;
    private final String findSql;
    private final String insertClaimSql;
    private final String lockRowSql;
    private final String takeOverSql;
    private final String saveSql;
    private final String releaseSql;
    private final String pruneSql;
    private final AtomicReference<Instant> lastPrune = new AtomicReference<>(Instant.MIN);

    PostgresCommandResultStore(DataSource pool, SchemaName schema, String storeName, CommandResultOptions options) {
        this.pool = pool;
        this.storeName = storeName;
        this.options = Objects.requireNonNull(options, "options");
        String table = schema.table("command_results");
        this.findSql = "SELECT command_type, result_type, result FROM " + table
                + " WHERE command_id = ? AND result_type IS NOT NULL AND recorded_at >= ?";
        this.insertClaimSql = "INSERT INTO " + table + " (command_id, command_type, claim_id, claimed_at, recorded_at)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING";
        this.lockRowSql = "SELECT command_type, claimed_at, result_type, result, recorded_at FROM " + table
                + " WHERE command_id = ? FOR UPDATE";
        this.takeOverSql = "UPDATE " + table + " SET command_type = ?, claim_id = ?, claimed_at = ?, result_type = NULL,"
                + " result = NULL, recorded_at = ? WHERE command_id = ?";
        this.saveSql = "INSERT INTO " + table + " AS r"
                + " (command_id, command_type, claim_id, claimed_at, result_type, result, recorded_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (command_id) DO UPDATE SET command_type = excluded.command_type,"
                + " result_type = excluded.result_type, result = excluded.result, recorded_at = excluded.recorded_at"
                + " WHERE r.result_type IS NULL OR r.recorded_at < ?";
        this.releaseSql = "DELETE FROM " + table + " WHERE command_id = ? AND claim_id = ? AND result_type IS NULL";
        this.pruneSql = "DELETE FROM " + table + " WHERE recorded_at < ?";
    }

    /** The retention, claim timeout and clock this store works with. */
    public CommandResultOptions options() {
        return options;
    }

    @Override
    public Optional<CompletedCommand> find(UUID commandId) {
        Objects.requireNonNull(commandId, "commandId");
        Instant now = options.clock().instant();
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(findSql)) {
            select.setObject(1, commandId);
            select.setObject(2, time(options.forgottenBefore(now)));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) return Optional.empty();
                Object result = ResultJson.decode(commandId, row.getString(2), row.getString(3));
                return Optional.of(new CompletedCommand(commandId, row.getString(1), result));
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("finding command " + commandId, storeName, e);
        }
    }

    @Override
    public CommandClaim claim(UUID commandId, String commandType) {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(commandType, "commandType");
        Instant now = options.clock().instant();
        Instant last = lastPrune.get();
        if (!now.isBefore(last.plus(PRUNE_INTERVAL)) && lastPrune.compareAndSet(last, now)) delete(now);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                CommandClaim claim;
                do {
                    claim = claimOnce(c, commandId, commandType, now);
                } while (claim == null);
                c.commit();
                return claim;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                if (!c.isClosed()) c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("claiming command " + commandId, storeName, e);
        }
    }

    /** One attempt in the open transaction; null if the row went away between the insert and the lock. */
    private CommandClaim claimOnce(Connection c, UUID commandId, String commandType, Instant now) throws SQLException {
        UUID claimId = UUID.randomUUID();
        try (PreparedStatement insert = c.prepareStatement(insertClaimSql)) {
            insert.setObject(1, commandId);
            insert.setString(2, commandType);
            insert.setObject(3, claimId);
            insert.setObject(4, time(now));
            insert.setObject(5, time(now));
            if (insert.executeUpdate() == 1) return new CommandClaim.Claimed(commandId, claimId);
        }
        try (PreparedStatement lock = c.prepareStatement(lockRowSql)) {
            lock.setObject(1, commandId);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) return null; // released or pruned meanwhile: insert again
                boolean done = row.getString(3) != null;
                if (done && !instant(row, 5).isBefore(options.forgottenBefore(now))) {
                    Object result = ResultJson.decode(commandId, row.getString(3), row.getString(4));
                    return new CommandClaim.Done(new CompletedCommand(commandId, row.getString(1), result));
                }
                Instant claimedAt = instant(row, 2);
                if (!done && claimedAt.isAfter(options.abandonedBefore(now))) {
                    return new CommandClaim.Running(commandId, row.getString(1), claimedAt);
                }
            }
        }
        try (PreparedStatement update = c.prepareStatement(takeOverSql)) { // forgotten, or abandoned
            update.setString(1, commandType);
            update.setObject(2, claimId);
            update.setObject(3, time(now));
            update.setObject(4, time(now));
            update.setObject(5, commandId);
            update.executeUpdate();
        }
        return new CommandClaim.Claimed(commandId, claimId);
    }

    @Override
    public void save(CompletedCommand completed) {
        Objects.requireNonNull(completed, "completed");
        ResultJson.Encoded result = ResultJson.encode(completed.commandId(), completed.result());
        Instant now = options.clock().instant();
        try (Connection c = pool.getConnection(); PreparedStatement upsert = c.prepareStatement(saveSql)) {
            upsert.setObject(1, completed.commandId());
            upsert.setString(2, completed.commandType());
            upsert.setObject(3, UUID.randomUUID());
            upsert.setObject(4, time(now));
            upsert.setString(5, result.type());
            upsert.setString(6, result.json());
            upsert.setObject(7, time(now));
            upsert.setObject(8, time(options.forgottenBefore(now)));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("saving the result of command " + completed.commandId(), storeName, e);
        }
    }

    @Override
    public void release(CommandClaim.Claimed claim) {
        Objects.requireNonNull(claim, "claim");
        try (Connection c = pool.getConnection(); PreparedStatement delete = c.prepareStatement(releaseSql)) {
            delete.setObject(1, claim.commandId());
            delete.setObject(2, claim.claimId());
            delete.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("releasing the claim on command " + claim.commandId(), storeName, e);
        }
    }

    @Override
    public int prune() {
        Instant now = options.clock().instant();
        lastPrune.set(now);
        return delete(now);
    }

    private int delete(Instant now) {
        try (Connection c = pool.getConnection(); PreparedStatement delete = c.prepareStatement(pruneSql)) {
            delete.setObject(1, time(options.forgottenBefore(now)));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("pruning command results", storeName, e);
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
