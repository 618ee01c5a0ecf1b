// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.aggregate.Snapshot;
import dev.factum.aggregate.SnapshotStore;
import dev.factum.postgres.internal.SchemaName;
import dev.factum.postgres.internal.SqlErrors;
import dev.factum.store.StreamId;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * Aggregate snapshots in the store's schema ({@code snapshots} table): one row per stream, the latest. {@link #save}
 * is one upsert that replaces the row only with a snapshot at the same or a higher version, so writers finishing out
 * of order — in any number of processes — never move a snapshot back. The state is kept as the exact JSON text the
 * repository wrote ({@code TEXT}, not {@code JSONB}, so it reads back byte for byte). Uses the store's connection
 * pool. Get it from {@link PostgresEventStore#snapshotStore()}.
 *
 * <p>Failures raise {@link dev.factum.store.EventStoreException} naming the stream and the store (a
 * {@link dev.factum.aggregate.Repository} logs them and carries on without the snapshot).
 *
 * @since 0.1
 */
public final class PostgresSnapshotStore implements SnapshotStore {
    private final DataSource pool;
    private final String storeName;
    private final String upsertSql;
    private final String loadSql;

    PostgresSnapshotStore(DataSource pool, SchemaName schema, String storeName) {
        this.pool = pool;
        this.storeName = storeName;
        String table = schema.table("snapshots");
        this.upsertSql = "INSERT INTO " + table + " AS s (stream, version, fingerprint, state, saved_at)"
                + " VALUES (?, ?, ?, ?, now())"
                + " ON CONFLICT (stream) DO UPDATE SET version = excluded.version, fingerprint = excluded.fingerprint,"
                + " state = excluded.state, saved_at = excluded.saved_at WHERE excluded.version >= s.version";
        this.loadSql = "SELECT version, fingerprint, state FROM " + table + " WHERE stream = ?";
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        try (Connection c = pool.getConnection(); PreparedStatement upsert = c.prepareStatement(upsertSql)) {
            upsert.setString(1, snapshot.stream().toString());
            upsert.setLong(2, snapshot.version());
            upsert.setString(3, snapshot.fingerprint());
            upsert.setString(4, snapshot.state());
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("saving the snapshot of " + snapshot.stream() + " at version " + snapshot.version(),
                    storeName, e);
        }
    }

    @Override
    public Optional<Snapshot> load(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(loadSql)) {
            select.setString(1, stream.toString());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) return Optional.empty();
                return Optional.of(new Snapshot(stream, row.getLong(1), row.getString(2), row.getString(3)));
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("loading the snapshot of " + stream, storeName, e);
        }
    }
}
