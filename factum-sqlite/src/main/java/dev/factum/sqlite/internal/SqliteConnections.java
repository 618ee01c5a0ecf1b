// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import dev.factum.sqlite.SqliteConfig;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the store's connections with their settings. SQLite keeps {@code synchronous}, the busy handler (how long
 * to wait for another connection's lock, see {@link LockWait}) and {@code foreign_keys} per connection, so every
 * connection — the writer and each reader — gets all of them here.
 * The writer also switches the file to WAL mode, which is kept in the file and lets readers read while it writes.
 */
public final class SqliteConnections {
    private static final long WAL_SIZE_LIMIT = 64L << 20;

    private SqliteConnections() {
    }

    /** The JDBC URL of the store's file. */
    public static String url(SqliteConfig config) {
        return "jdbc:sqlite:" + config.file().toAbsolutePath();
    }

    /**
     * The one read-write connection of a store instance, in WAL mode. The log file is cut back to at most
     * {@value #WAL_SIZE_LIMIT} bytes when it is reset, so a burst of writes does not leave a large file behind.
     */
    public static Connection openWriter(SqliteConfig config) throws SQLException {
        Connection connection = open(config, false);
        try (Statement statement = connection.createStatement()) {
            try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode=WAL")) {
                String actual = mode.next() ? mode.getString(1) : "unknown";
                if (!"wal".equalsIgnoreCase(actual)) {
                    throw new SQLException("SQLite refused WAL mode for " + config.file() + " (it stays in '" + actual
                            + "' mode); WAL needs a local file system with shared memory support");
                }
            }
            statement.execute("PRAGMA journal_size_limit=" + WAL_SIZE_LIMIT);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
        return connection;
    }

    /** A read-only connection; WAL lets it read a consistent committed state while the writer writes. */
    public static Connection openReader(SqliteConfig config) throws SQLException {
        return open(config, true);
    }

    private static Connection open(SqliteConfig config, boolean readOnly) throws SQLException {
        SQLiteConfig settings = new SQLiteConfig();
        settings.setBusyTimeout((int) config.busyTimeout().toMillis());
        settings.setReadOnly(readOnly);
        Connection connection = settings.createConnection(url(config));
        try (Statement statement = connection.createStatement()) {
            BusyHandler.setHandler(connection, new LockWait(config.busyTimeout()));
            statement.execute("PRAGMA synchronous=" + config.synchronous().name());
            statement.execute("PRAGMA foreign_keys=ON");
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
        return connection;
    }

    static void closeQuietly(Connection connection, Throwable failure) {
        try {
            connection.close();
        } catch (SQLException closing) {
            failure.addSuppressed(closing);
        }
    }
}
