// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The command line on PostgreSQL ({@code FACTUM_TEST_PG_URL}, default the local test database), in a fresh schema per
 * test that is dropped afterwards. Fails, naming the server and how to start it, when PostgreSQL is not reachable.
 */
class PostgresCliTest extends CliContract {
    static final String URL = System.getenv().getOrDefault("FACTUM_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final String schema = "cli_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);

    @BeforeAll
    static void postgresql_is_reachable() {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.isValid(5);
        } catch (SQLException e) {
            fail("PostgreSQL is not reachable at " + URL + " (" + e.getMessage() + "). Start it with "
                    + "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or run .ci/run; "
                    + "set FACTUM_TEST_PG_URL to use another server.");
        }
    }

    @AfterEach
    void drop_the_schema() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    protected List<String> storeArgs() {
        return List.of("--store", URL, "--schema", schema);
    }

    @Test
    void a_libpq_style_url_reaches_the_same_store_as_the_jdbc_url() {
        String libpq = "postgresql://postgres@" + URL.substring("jdbc:postgresql://".length(), URL.indexOf('?'));
        assertSucceeded(CliRun.factum(List.of("--store", libpq, "--schema", schema), "append", "Order-1", "OrderCreated", "{}"));

        assertThat(factum("read", "Order-1").lines()).singleElement().asString().contains("Order-1@1");
    }
}
