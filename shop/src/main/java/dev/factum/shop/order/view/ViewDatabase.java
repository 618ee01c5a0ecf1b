// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the order read model's tables live and how queries reach them. The projection writes through the checkpoint's
 * transaction; queries open their own connection from {@link #connections()} (read-only use, closed after each query).
 *
 * @param schema      the PostgreSQL schema holding the tables (the store's schema); empty for SQLite
 * @param connections opens a connection to the database holding the tables
 * @since 0.1
 */
public record ViewDatabase(Optional<String> schema, ConnectionSource connections) {
    public ViewDatabase {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(connections, "connections");
        schema.ifPresent(s -> {
            if (!s.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) throw new IllegalArgumentException("not a plain schema name: " + s);
        });
    }

    /** The read model in the SQLite store file {@code file} (the store's own file: one transaction for both). */
    public static ViewDatabase sqlite(Path file) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        return new ViewDatabase(Optional.empty(), () -> DriverManager.getConnection(url));
    }

    /** The read model in {@code schema} of the PostgreSQL database at {@code jdbcUrl} (the store's schema). */
    public static ViewDatabase postgres(String jdbcUrl, String schema) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        return new ViewDatabase(Optional.of(schema), () -> DriverManager.getConnection(jdbcUrl));
    }

    /** The qualified name of {@code table}: {@code "schema".table} on PostgreSQL, {@code table} on SQLite. */
    public String table(String table) {
        return schema.map(s -> "\"" + s + "\"." + table).orElse(table);
    }

    /**
     * Opens a JDBC connection; a pool's {@code DataSource::getConnection} fits.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }
}
