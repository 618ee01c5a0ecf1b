// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.app;

import dev.factum.shop.testing.PostgresTestSchemas;
import dev.factum.store.EventStore;
import org.junit.jupiter.api.AfterAll;

import java.sql.SQLException;

/** The Order write side over PostgreSQL: a fresh schema per test, all dropped after the class. */
class PostgresOrderServiceTest extends OrderServiceContract {
    private static final PostgresTestSchemas SCHEMAS = new PostgresTestSchemas("shop_test_");

    @Override
    EventStore openStore() {
        return SCHEMAS.openStore();
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        SCHEMAS.dropAll();
    }
}
