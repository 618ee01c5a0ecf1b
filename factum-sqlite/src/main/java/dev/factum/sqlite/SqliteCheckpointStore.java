// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.FactumException;
import dev.factum.sqlite.internal.ReadPool;
import dev.factum.sqlite.internal.SqliteErrors;
import dev.factum.sqlite.internal.TransactionConnection;
import dev.factum.sqlite.internal.WriterConnection;
import dev.factum.store.Position;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.StoreTransaction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Checkpoints in the {@code checkpoints} table of the store's SQLite file. {@link #commit} runs the handler's work and
 * the checkpoint upsert in one transaction of the store's single writer connection (taken in turn with the append
 * writer): the work's {@link StoreTransaction#connection()} is that connection, so a read model kept in the same file
 * commits together with its checkpoint, or neither does. Get it from {@link SqliteEventStore#checkpointStore()}.
 *
 * <p>The work must not append to the event store (the writer is busy with this transaction; such an append is
 * refused with an {@link IllegalStateException}) and must not commit, roll back or close the connection (refused with
 * an {@link SQLException}). Failures of SQLite raise {@link dev.factum.store.EventStoreException} naming the
 * subscription; after the store is closed, {@link dev.factum.store.StoreClosedException}.
 *
 * @since 0.1
 */
public final class SqliteCheckpointStore implements CheckpointStore {
    private static final String UPSERT = """
            INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at""";

    private final WriterConnection writer;
    private final ReadPool readers;
    private final StoreTransaction transaction;

    SqliteCheckpointStore(WriterConnection writer, ReadPool readers) {
        this.writer = writer;
        this.readers = readers;
        Optional<Connection> connection = Optional.of(TransactionConnection.guard(writer.connection()));
        this.transaction = () -> connection;
    }

    @Override
    public Optional<Position> load(String subscription) {
        String name = new Checkpoint(subscription, Position.BEGINNING).subscription();
        return readers.read("load checkpoint of subscription " + name, lease -> {
            PreparedStatement select = lease.prepare("SELECT position FROM checkpoints WHERE name = ?");
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(Position.of(row.getLong(1))) : Optional.empty();
            }
        });
    }

    @Override
    public void commit(Checkpoint checkpoint, TransactionalWork work) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(work, "work");
        write("commit checkpoint " + checkpoint.position() + " of subscription " + checkpoint.subscription(), connection -> {
            try {
                work.run(transaction);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new FactumException("work of subscription " + checkpoint.subscription() + " failed: "
                        + e.getMessage(), e);
            }
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                upsert.setString(1, checkpoint.subscription());
                upsert.setLong(2, checkpoint.position().value());
                upsert.setLong(3, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void delete(String subscription) {
        String name = new Checkpoint(subscription, Position.BEGINNING).subscription();
        write("delete checkpoint of subscription " + name, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM checkpoints WHERE name = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
            return null;
        });
    }

    private void write(String operation, WriterConnection.Work<Void> work) {
        try {
            writer.inTransaction(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (SQLException e) {
            throw SqliteErrors.translate(operation, e);
        } catch (Exception e) {
            throw new FactumException(operation + " failed: " + e.getMessage(), e);
        }
    }
}
