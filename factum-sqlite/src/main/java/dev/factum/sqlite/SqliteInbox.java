// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.FactumException;
import dev.factum.inbox.Inbox;
import dev.factum.inbox.InboxOptions;
import dev.factum.sqlite.internal.ReadPool;
import dev.factum.sqlite.internal.TransactionConnection;
import dev.factum.sqlite.internal.WriterConnection;
import dev.factum.subscription.CheckpointStore.TransactionalWork;
import dev.factum.subscription.StoreTransaction;
import dev.factum.transport.Message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A consumer inbox in the {@code inbox} table of the store's SQLite file. {@link #handleOnce} runs in one write
 * transaction of the store's single writer connection ({@code BEGIN IMMEDIATE}, taken in turn with the appends and
 * the checkpoints): it inserts (consumer, message id) with {@code ON CONFLICT DO NOTHING}; if the row is new, it runs
 * the work with that connection as {@link StoreTransaction#connection()} and commits both, else it commits nothing
 * and answers {@code false}. SQLite's write lock makes concurrent deliveries of one message — in this process or in
 * another one sharing the file, which waits up to the busy timeout — run the work once. Get it from
 * {@link SqliteEventStore#inbox()}.
 *
 * <p>The work holds the store's write lock while it runs, so keep it short: appends wait for it. It must not append to
 * the event store of the same file (refused with an {@link IllegalStateException}, as it would wait for itself) nor
 * commit, roll back or close the connection (refused; throw to roll back). Entries are stamped with
 * {@link InboxOptions#clock()} in epoch microseconds; pruning deletes in chunks of {@value #PRUNE_CHUNK} rows, one
 * short transaction each, so appends get their turn in between. Failures of SQLite raise
 * {@link dev.factum.store.EventStoreException} naming the consumer; after the store is closed,
 * {@link dev.factum.store.StoreClosedException}.
 *
 * @since 0.1
 */
public final class SqliteInbox implements Inbox {
    static final int PRUNE_CHUNK = 5_000;
    private static final String RECORD = "INSERT INTO inbox (consumer, message_id, position, handled_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (consumer, message_id) DO NOTHING";
    private static final String CONTAINS = "SELECT 1 FROM inbox WHERE consumer = ? AND message_id = ?";
    private static final String PRUNE_AGE = "DELETE FROM inbox WHERE (consumer, message_id) IN"
            + " (SELECT consumer, message_id FROM inbox WHERE handled_at < ? LIMIT " + PRUNE_CHUNK + ")";
    private static final String PRUNE_POSITION = "DELETE FROM inbox WHERE (consumer, message_id) IN"
            + " (SELECT consumer, message_id FROM inbox WHERE consumer = ? AND position <= ? LIMIT " + PRUNE_CHUNK + ")";

    private final WriterConnection writer;
    private final ReadPool readers;
    private final InboxOptions options;
    private final StoreTransaction transaction;

    SqliteInbox(WriterConnection writer, ReadPool readers, InboxOptions options) {
        this.writer = writer;
        this.readers = readers;
        this.options = Objects.requireNonNull(options, "options");
        Optional<Connection> connection = Optional.of(TransactionConnection.guard(writer.connection()));
        this.transaction = () -> connection;
    }

    @Override
    public boolean handleOnce(String consumer, Message message, TransactionalWork work) {
        requireConsumer(consumer);
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(work, "work");
        String operation = "handle message " + message.messageId() + " for consumer " + consumer;
        return writer.write(operation, connection -> {
            try (PreparedStatement record = connection.prepareStatement(RECORD)) {
                record.setString(1, consumer);
                record.setString(2, message.messageId().toString());
                record.setLong(3, message.position());
                record.setLong(4, micros(options.clock().instant()));
                if (record.executeUpdate() == 0) return false;
            }
            try {
                work.run(transaction);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                throw new FactumException("inbox work of consumer '" + consumer + "' failed: " + e.getMessage(), e);
            }
            return true;
        });
    }

    @Override
    public boolean contains(String consumer, UUID messageId) {
        requireConsumer(consumer);
        Objects.requireNonNull(messageId, "messageId");
        return readers.read("look up message " + messageId + " in the inbox of " + consumer, lease -> {
            PreparedStatement select = lease.prepare(CONTAINS);
            select.setString(1, consumer);
            select.setString(2, messageId.toString());
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        });
    }

    @Override
    public int pruneHandledBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        long micros = micros(before);
        return pruneInChunks("prune inbox entries handled before " + before, delete -> delete.setLong(1, micros),
                PRUNE_AGE);
    }

    @Override
    public int pruneExpired() {
        return pruneHandledBefore(options.expiredBefore(options.clock().instant()));
    }

    @Override
    public int prunePositionsUpTo(String consumer, long position) {
        requireConsumer(consumer);
        return pruneInChunks("prune inbox entries of " + consumer + " up to position " + position, delete -> {
            delete.setString(1, consumer);
            delete.setLong(2, position);
        }, PRUNE_POSITION);
    }

    private interface Binder {
        void bind(PreparedStatement delete) throws Exception;
    }

    private int pruneInChunks(String operation, Binder binder, String sql) {
        int total = 0;
        while (true) {
            int deleted = writer.write(operation, connection -> {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    binder.bind(delete);
                    return delete.executeUpdate();
                }
            });
            total += deleted;
            if (deleted < PRUNE_CHUNK) return total;
        }
    }

    private static void requireConsumer(String consumer) {
        if (consumer == null || consumer.isBlank()) throw new IllegalArgumentException("inbox consumer name is blank");
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
