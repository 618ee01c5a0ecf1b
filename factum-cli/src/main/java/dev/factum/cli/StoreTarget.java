// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which store the command works on, as given by {@code --store} (or {@code FACTUM_STORE}): a SQLite file path, or a
 * PostgreSQL URL — either a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=u}) or a libpq-style URL
 * ({@code postgresql://user[:password]@host[:port]/db[?params]}, also {@code postgres://}), which is converted to the
 * JDBC form.
 *
 * @since 0.1
 */
public sealed interface StoreTarget {

    /** An embedded store in one SQLite file; its parent directory is created when the store is opened. */
    record Sqlite(Path file) implements StoreTarget {
    }

    /** A PostgreSQL store; {@code schema} empty means the store's default schema. */
    record Postgres(String jdbcUrl, Optional<String> schema) implements StoreTarget {
    }

    /**
     * Reads a {@code --store} value.
     *
     * @param schema the {@code --schema} option, only meaningful for PostgreSQL
     * @throws IllegalArgumentException if the value is blank, a malformed PostgreSQL URL, or {@code schema} is given
     *                                  for a SQLite file
     */
    static StoreTarget parse(String store, Optional<String> schema) {
        if (store == null || store.isBlank()) throw new IllegalArgumentException("--store is blank: give a SQLite file path or a PostgreSQL URL");
        String value = store.strip();
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            if (!lower.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("--store '" + value + "' is not supported: only jdbc:postgresql:// URLs and SQLite file paths are");
            }
            return new Postgres(value, schema);
        }
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return new Postgres(toJdbcUrl(value), schema);
        }
        if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("--store '" + value + "' is not supported: give a SQLite file path or a PostgreSQL URL");
        }
        if (schema.isPresent()) {
            throw new IllegalArgumentException("--schema applies to PostgreSQL only, but --store '" + value + "' is a SQLite file");
        }
        return new Sqlite(Path.of(value));
    }

    /**
     * Converts {@code postgresql://user[:password]@host[:port]/db[?params]} to
     * {@code jdbc:postgresql://host[:port]/db?user=user[&password=password][&params]}. Percent-escapes stay as given:
     * the JDBC driver decodes them.
     */
    static String toJdbcUrl(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String credentials = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = credentials.indexOf(':');
            user = colon >= 0 ? credentials.substring(0, colon) : credentials;
            password = colon >= 0 ? credentials.substring(colon + 1) : null;
        }
        int slash = rest.indexOf('/');
        String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
        String database = slash >= 0 ? rest.substring(slash + 1) : "";
        if (hostPort.isEmpty()) {
            throw new IllegalArgumentException("PostgreSQL URL '" + redact(url) + "' has no host: expected postgresql://user@host:port/database");
        }
        if (database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException("PostgreSQL URL '" + redact(url) + "' has no database name: expected postgresql://user@host:port/database");
        }
        StringBuilder params = new StringBuilder();
        if (user != null && !user.isEmpty()) params.append("user=").append(user);
        if (password != null && !password.isEmpty()) params.append(params.isEmpty() ? "" : "&").append("password=").append(password);
        if (!query.isEmpty()) params.append(params.isEmpty() ? "" : "&").append(query);
        return "jdbc:postgresql://" + hostPort + "/" + database + (params.isEmpty() ? "" : "?" + params);
    }

    /** The URL with any password replaced by {@code ***}, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
    }
}
