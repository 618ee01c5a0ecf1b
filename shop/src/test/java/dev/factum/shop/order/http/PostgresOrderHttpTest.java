// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import dev.factum.shop.testing.PostgresTestSchemas;
import dev.factum.store.EventStore;
import org.junit.jupiter.api.AfterAll;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Every {@link OrderHttpTest} (lifecycle, {@code If-Match}, error statuses, unknown routes) against a server whose
 * events are in PostgreSQL: a fresh schema per test on the test database ({@code FACTUM_TEST_PG_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), all dropped after the class. Fails — never skips —
 * when PostgreSQL is unreachable.
 */
class PostgresOrderHttpTest extends OrderHttpTest {
    private static final PostgresTestSchemas SCHEMAS = new PostgresTestSchemas("shop_http_");

    @Override
    EventStore openStore(Path dir) {
        return SCHEMAS.openStore();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        SCHEMAS.dropAll();
    }
}
