// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.notification.view;

import dev.factum.shop.notification.domain.Notification;
import dev.factum.shop.notification.domain.NotificationKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The notifications sent, in the table {@code notifications} of the store's database (its schema on PostgreSQL):
 * written by the consumer through the inbox's transaction ({@link #record}), so a notification and the inbox entry of
 * the message that caused it commit together; read per order or newest first. Portable SQL.
 *
 * @since 0.1
 */
public final class NotificationLog {
    /** Opens a connection to the database holding the table. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final String table;
    private final ConnectionSource connections;

    /**
     * @param schema      the PostgreSQL schema of the store, empty on SQLite
     * @param connections opens connections for queries and for {@link #createTable()}
     */
    public NotificationLog(Optional<String> schema, ConnectionSource connections) {
        schema.ifPresent(s -> {
            if (!s.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) throw new IllegalArgumentException("not a plain schema name: " + s);
        });
        this.table = schema.map(s -> "\"" + s + "\".notifications").orElse("notifications");
        this.connections = Objects.requireNonNull(connections, "connections");
    }

    /** Creates the table if it does not exist. */
    public void createTable() {
        try (Connection c = connections.open(); var statement = c.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (message_id VARCHAR(36) PRIMARY KEY, "
                    + "order_id VARCHAR(200) NOT NULL, kind VARCHAR(40) NOT NULL, text VARCHAR(2000) NOT NULL, "
                    + "sent_at VARCHAR(40) NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create table " + table + ": " + e.getMessage(), e);
        }
    }

    /** Inserts {@code notification} through {@code connection} (the inbox's transaction; not committed here). */
    public void record(Connection connection, Notification notification) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                + " (message_id, order_id, kind, text, sent_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, notification.messageId());
            insert.setString(2, notification.orderId());
            insert.setString(3, notification.kind().name());
            insert.setString(4, notification.text());
            insert.setString(5, notification.sentAt().toString());
            insert.executeUpdate();
        }
    }

    /** The notifications about {@code orderId}, oldest first. */
    public List<Notification> forOrder(String orderId) {
        return query("SELECT message_id, order_id, kind, text, sent_at FROM " + table
                + " WHERE order_id = ? ORDER BY sent_at, message_id", orderId, 1_000);
    }

    /** The newest {@code limit} notifications, newest first. */
    public List<Notification> recent(int limit) {
        if (limit < 1 || limit > 1_000) throw new IllegalArgumentException("limit must be 1-1000, was " + limit);
        return query("SELECT message_id, order_id, kind, text, sent_at FROM " + table
                + " ORDER BY sent_at DESC, message_id DESC", null, limit);
    }

    private List<Notification> query(String sql, String parameter, int limit) {
        try (Connection c = connections.open(); PreparedStatement select = c.prepareStatement(sql)) {
            if (parameter != null) select.setString(1, parameter);
            select.setMaxRows(limit);
            List<Notification> found = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new Notification(rows.getString(1), rows.getString(2),
                            NotificationKind.valueOf(rows.getString(3)), rows.getString(4),
                            Instant.parse(rows.getString(5))));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + table + ": " + e.getMessage(), e);
        }
    }
}
