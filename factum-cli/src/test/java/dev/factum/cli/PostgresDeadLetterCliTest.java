// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code factum dead-letters} on PostgreSQL ({@code FACTUM_TEST_PG_URL}, default the local test database), in a fresh
 * schema per test that is dropped afterwards. Fails, naming the server, when PostgreSQL is not reachable.
 */
class PostgresDeadLetterCliTest extends DeadLetterCliContract {
    private final String schema = "cli_dlq_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);

    @BeforeAll
    static void postgresql_is_reachable() {
        try (Connection c = DriverManager.getConnection(PostgresCliTest.URL)) {
            c.isValid(5);
        } catch (SQLException e) {
            fail("PostgreSQL is not reachable at " + PostgresCliTest.URL + " (" + e.getMessage() + "); start it or set "
                    + "FACTUM_TEST_PG_URL to a running server.");
        }
    }

    @AfterEach
    void drop_the_schema() throws SQLException {
        close_the_store();
        try (Connection c = DriverManager.getConnection(PostgresCliTest.URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    protected List<String> storeArgs() {
        return List.of("--store", PostgresCliTest.URL, "--schema", schema);
    }
}
