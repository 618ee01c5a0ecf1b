// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;
import dev.factum.store.EventStore;
import dev.factum.subscription.CheckpointStore;
import org.junit.jupiter.api.AfterAll;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The order read models over PostgreSQL: a fresh schema per test on the test database ({@code FACTUM_TEST_PG_URL},
 * default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) holding the store and the read model, all
 * dropped after the class. Fails — never skips — when PostgreSQL is unreachable.
 */
class PostgresOrderViewTest extends OrderViewContract {
    private static final String URL = url();
    private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();

    @Override
    EventStore openStore() {
        try (Connection c = DriverManager.getConnection(URL)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + URL + " (" + e.getMessage() + "); start it with: "
                    + "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start, or point "
                    + "FACTUM_TEST_PG_URL at a running server", e);
        }
        String schema = "shop_view_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        SCHEMAS.add(schema);
        return PostgresEventStore.open(PostgresConfig.of(URL).withSchema(schema).withMaxPoolSize(4));
    }

    @Override
    CheckpointStore checkpoints(EventStore store) {
        return ((PostgresEventStore) store).checkpointStore();
    }

    @Override
    ViewDatabase database(EventStore store) {
        return ViewDatabase.postgres(URL, ((PostgresEventStore) store).config().schema());
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            for (String schema : SCHEMAS) s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }

    private static String url() {
        String env = System.getenv("FACTUM_TEST_PG_URL");
        return env == null || env.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : env;
    }
}
