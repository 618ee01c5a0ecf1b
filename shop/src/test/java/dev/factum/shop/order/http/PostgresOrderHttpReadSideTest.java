// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import dev.factum.postgres.PostgresEventStore;
import dev.factum.shop.order.view.ViewDatabase;
import dev.factum.shop.testing.PostgresTestSchemas;
import dev.factum.store.EventStore;
import dev.factum.subscription.CheckpointStore;
import org.junit.jupiter.api.AfterAll;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Every {@link OrderHttpReadSideTest} (the list, history and projection endpoints; a rebuild over HTTP while writes
 * continue, switched to a read model equal to one built from scratch) with the events and the read model in
 * PostgreSQL: a fresh schema per test on the test database ({@code FACTUM_TEST_PG_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), all dropped after the class. Fails — never skips —
 * when PostgreSQL is unreachable.
 */
class PostgresOrderHttpReadSideTest extends OrderHttpReadSideTest {
    private static final PostgresTestSchemas SCHEMAS = new PostgresTestSchemas("shop_http_read_");

    @Override
    EventStore openStore(Path dir) {
        return SCHEMAS.openStore();
    }

    @Override
    CheckpointStore checkpoints(EventStore store) {
        return ((PostgresEventStore) store).checkpointStore();
    }

    @Override
    ViewDatabase database(EventStore store) {
        return ViewDatabase.postgres(PostgresTestSchemas.URL, ((PostgresEventStore) store).config().schema());
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        SCHEMAS.dropAll();
    }
}
