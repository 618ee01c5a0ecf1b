// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres.internal;

import java.util.regex.Pattern;

/**
 * A validated schema name and the SQL text built from it. The name is checked against a strict identifier pattern and
 * always double-quoted, so it can be put into SQL text safely (identifiers cannot be bind parameters).
 *
 * @param name the schema name as given
 */
public record SchemaName(String name) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");

    public SchemaName {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("schema name '" + name + "' is not allowed: it must start with a letter or"
                    + " '_' and hold at most 48 letters, digits or '_'");
        }
    }

    public static SchemaName of(String name) {
        return new SchemaName(name);
    }

    /** The quoted identifier, e.g. {@code "factum"}. */
    public String quoted() {
        return '"' + name + '"';
    }

    /** The quoted, qualified name of a table in this schema, e.g. {@code "factum".events}. */
    public String table(String table) {
        return quoted() + "." + table;
    }

    /** The LISTEN/NOTIFY channel of this schema's commits (at most 63 bytes, as PostgreSQL requires). */
    public String channel() {
        return "factum_" + name;
    }

    /**
     * The text whose {@code hashtextextended(text, 0)} keys the store-wide append lock, a transaction-scoped advisory
     * lock every append transaction on this schema takes before it assigns positions.
     */
    public String appendLockKey() {
        return "factum.append:" + name;
    }

    /** Replaces {@code ${schema}} in SQL text by the quoted schema name. */
    public String substitute(String sql) {
        return sql.replace("${schema}", quoted());
    }

    /** A JDBC URL without its parameters, which may hold a password. */
    public static String withoutParameters(String jdbcUrl) {
        if (jdbcUrl == null) return "null";
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }
}
