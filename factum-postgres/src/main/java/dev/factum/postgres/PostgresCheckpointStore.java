// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.FactumException;
import dev.factum.postgres.internal.SchemaName;
import dev.factum.postgres.internal.SqlErrors;
import dev.factum.store.Position;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Checkpoints in the store's schema ({@code checkpoints} table). {@link #commit} takes a pooled connection, runs the
 * handler's work on it (exposed as {@link dev.factum.subscription.StoreTransaction#connection()}), upserts the
 * checkpoint and commits — effect and checkpoint together, or neither. Obtain it from
 * {@link PostgresEventStore#checkpointStore()}.
 *
 * @since 0.1
 */
public final class PostgresCheckpointStore implements CheckpointStore {
    private final DataSource pool;
    private final String storeName;
    private final String loadSql;
    private final String upsertSql;
    private final String deleteSql;

    PostgresCheckpointStore(DataSource pool, SchemaName schema, String storeName) {
        this.pool = pool;
        this.storeName = storeName;
        String table = schema.table("checkpoints");
        this.loadSql = "SELECT position FROM " + table + " WHERE name = ?";
        this.upsertSql = "INSERT INTO " + table + " (name, position, updated_at) VALUES (?, ?, now())"
                + " ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at";
        this.deleteSql = "DELETE FROM " + table + " WHERE name = ?";
    }

    @Override
    public Optional<Position> load(String subscription) {
        requireName(subscription);
        try (Connection c = pool.getConnection(); PreparedStatement query = c.prepareStatement(loadSql)) {
            query.setString(1, subscription);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(Position.of(rows.getLong(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("loading the checkpoint of " + subscription, storeName, e);
        }
    }

    @Override
    public void commit(Checkpoint checkpoint, TransactionalWork work) {
        String operation = "committing checkpoint " + checkpoint.position() + " of " + checkpoint.subscription();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(() -> Optional.of(c));
                try (PreparedStatement upsert = c.prepareStatement(upsertSql)) {
                    upsert.setString(1, checkpoint.subscription());
                    upsert.setLong(2, checkpoint.position().value());
                    upsert.executeUpdate();
                }
                c.commit();
            } catch (Exception e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                if (!c.isClosed()) c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(operation, storeName, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new FactumException("work of subscription " + checkpoint.subscription() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String subscription) {
        requireName(subscription);
        try (Connection c = pool.getConnection(); PreparedStatement delete = c.prepareStatement(deleteSql)) {
            delete.setString(1, subscription);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("deleting the checkpoint of " + subscription, storeName, e);
        }
    }

    private static void requireName(String subscription) {
        new Checkpoint(subscription, Position.BEGINNING); // same rules as a checkpoint's name
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
