// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.FactumException;
import dev.factum.inbox.Inbox;
import dev.factum.inbox.InboxOptions;
import dev.factum.postgres.internal.SchemaName;
import dev.factum.postgres.internal.SqlErrors;
import dev.factum.subscription.CheckpointStore.TransactionalWork;
import dev.factum.transport.Message;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A consumer inbox in the store's schema ({@code inbox} table). {@link #handleOnce} takes a pooled connection and, in
 * one transaction, inserts (consumer, message id) with {@code ON CONFLICT DO NOTHING}; if the row is new it runs the
 * work on that connection (exposed as {@link dev.factum.subscription.StoreTransaction#connection()}) and commits both,
 * else it answers {@code false} and nothing runs. A concurrent delivery of the same message — from this process or
 * any other sharing the schema — blocks in its insert on the first transaction's uncommitted row, and then does
 * nothing if that one committed, or inserts and runs the work if it rolled back: the work runs once. Get it from
 * {@link PostgresEventStore#inbox()}.
 *
 * <p>Do not commit, roll back or close the connection in the work (throw to roll back). Entries are stamped with
 * {@link InboxOptions#clock()}, a Java clock, so that {@link #pruneHandledBefore} compares with the caller's instants:
 * processes sharing a schema should have synchronised clocks (NTP), which only matters to within the retention.
 * Failures raise {@link dev.factum.store.EventStoreException} naming the consumer and the store.
 *
 * @since 0.1
 */
public final class PostgresInbox implements Inbox {
    private final DataSource pool;
    private final String storeName;
    private final InboxOptions options;
    private final String recordSql;
    private final String containsSql;
    private final String pruneAgeSql;
    private final String prunePositionSql;

    PostgresInbox(DataSource pool, SchemaName schema, String storeName, InboxOptions options) {
        this.pool = pool;
        this.storeName = storeName;
        this.options = Objects.requireNonNull(options, "options");
        String table = schema.table("inbox");
        this.recordSql = "INSERT INTO " + table + " (consumer, message_id, position, handled_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (consumer, message_id) DO NOTHING";
        this.containsSql = "SELECT 1 FROM " + table + " WHERE consumer = ? AND message_id = ?";
        this.pruneAgeSql = "DELETE FROM " + table + " WHERE handled_at < ?";
        this.prunePositionSql = "DELETE FROM " + table + " WHERE consumer = ? AND position <= ?";
    }

    @Override
    public boolean handleOnce(String consumer, Message message, TransactionalWork work) {
        requireConsumer(consumer);
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(work, "work");
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement record = c.prepareStatement(recordSql)) {
                    record.setString(1, consumer);
                    record.setObject(2, message.messageId());
                    record.setLong(3, message.position());
                    record.setObject(4, timestamp(options.clock().instant()));
                    if (record.executeUpdate() == 0) {
                        c.rollback();
                        return false;
                    }
                }
                runWork(consumer, work, c);
                c.commit();
                return true;
            } catch (Throwable e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                if (!c.isClosed()) c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("handling message " + message.messageId() + " for " + consumer, storeName, e);
        }
    }

    private static void runWork(String consumer, TransactionalWork work, Connection c) {
        try {
            work.run(() -> Optional.of(c));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new FactumException("inbox work of consumer '" + consumer + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(String consumer, UUID messageId) {
        requireConsumer(consumer);
        Objects.requireNonNull(messageId, "messageId");
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(containsSql)) {
            select.setString(1, consumer);
            select.setObject(2, messageId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("looking up message " + messageId + " in the inbox of " + consumer, storeName, e);
        }
    }

    @Override
    public int pruneHandledBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        try (Connection c = pool.getConnection(); PreparedStatement delete = c.prepareStatement(pruneAgeSql)) {
            delete.setObject(1, timestamp(before));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("pruning inbox entries handled before " + before, storeName, e);
        }
    }

    @Override
    public int pruneExpired() {
        return pruneHandledBefore(options.expiredBefore(options.clock().instant()));
    }

    @Override
    public int prunePositionsUpTo(String consumer, long position) {
        requireConsumer(consumer);
        try (Connection c = pool.getConnection(); PreparedStatement delete = c.prepareStatement(prunePositionSql)) {
            delete.setString(1, consumer);
            delete.setLong(2, position);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("pruning inbox entries of " + consumer + " up to position " + position,
                    storeName, e);
        }
    }

    private static void requireConsumer(String consumer) {
        if (consumer == null || consumer.isBlank()) throw new IllegalArgumentException("inbox consumer name is blank");
    }

    /** PostgreSQL keeps microseconds; cut the rest here, as SQLite does, rather than let the driver round. */
    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
