// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.testing;

import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fresh PostgreSQL schemas for the shop's tests on the test database ({@code FACTUM_TEST_PG_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); {@link #dropAll()} removes them after a class.
 * Fails — never skips — when PostgreSQL is unreachable, saying how to start it.
 */
public final class PostgresTestSchemas {
    public static final String URL = url();

    private final String prefix;
    private final List<String> schemas = new CopyOnWriteArrayList<>();

    public PostgresTestSchemas(String prefix) {
        this.prefix = prefix;
    }

    /** A store in a new schema. */
    public PostgresEventStore openStore() {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + URL + " (" + e.getMessage() + "); start it with: "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start, or point "
                    + "FACTUM_TEST_PG_URL at a running server", e);
        }
        String schema = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        schemas.add(schema);
        return PostgresEventStore.open(PostgresConfig.of(URL).withSchema(schema).withMaxPoolSize(4));
    }

    /** Drops every schema this instance created. */
    public void dropAll() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            for (String schema : schemas) s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
        schemas.clear();
    }

    private static String url() {
        String env = System.getenv("FACTUM_TEST_PG_URL");
        return env == null || env.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : env;
    }
}
