// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.aggregate.Snapshot;
import dev.factum.aggregate.SnapshotStore;
import dev.factum.sqlite.internal.ReadPool;
import dev.factum.sqlite.internal.WriterConnection;
import dev.factum.store.StreamId;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Aggregate snapshots in the {@code snapshots} table of the store's SQLite file: one row per stream, the latest.
 * {@link #save} is an upsert that replaces the row only with a snapshot at the same or a higher version, in one write
 * transaction of the store's writer connection, so writers finishing out of order — in this process or another —
 * never move a snapshot back. {@link #load} reads through the read pool and never waits for the writer. The state is
 * kept as the exact JSON text the repository wrote. Get it from {@link SqliteEventStore#snapshotStore()}.
 *
 * <p>Failures of SQLite raise {@link dev.factum.store.EventStoreException} naming the stream (a
 * {@link dev.factum.aggregate.Repository} logs them and carries on without the snapshot); after the store is closed,
 * {@link dev.factum.store.StoreClosedException}. A save from inside a checkpoint's work of the same store is refused
 * with an {@link IllegalStateException}, as it would wait for itself.
 *
 * @since 0.1
 */
public final class SqliteSnapshotStore implements SnapshotStore {
    private static final String UPSERT = """
            INSERT INTO snapshots (stream, version, fingerprint, state, saved_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (stream) DO UPDATE SET version = excluded.version, fingerprint = excluded.fingerprint,
                state = excluded.state, saved_at = excluded.saved_at
            WHERE excluded.version >= snapshots.version""";
    private static final String SELECT = "SELECT version, fingerprint, state FROM snapshots WHERE stream = ?";

    private final WriterConnection writer;
    private final ReadPool readers;
    private final Clock clock = Clock.systemUTC();

    SqliteSnapshotStore(WriterConnection writer, ReadPool readers) {
        this.writer = writer;
        this.readers = readers;
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        writer.write("save snapshot of " + snapshot.stream() + " at version " + snapshot.version(), connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                upsert.setString(1, snapshot.stream().toString());
                upsert.setLong(2, snapshot.version());
                upsert.setString(3, snapshot.fingerprint());
                upsert.setString(4, snapshot.state());
                upsert.setLong(5, ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant()));
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Snapshot> load(StreamId stream) {
        Objects.requireNonNull(stream, "stream");
        return readers.read("load snapshot of " + stream, lease -> {
            PreparedStatement select = lease.prepare(SELECT);
            select.setString(1, stream.toString());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) return Optional.empty();
                return Optional.of(new Snapshot(stream, row.getLong(1), row.getString(2), row.getString(3)));
            }
        });
    }
}
