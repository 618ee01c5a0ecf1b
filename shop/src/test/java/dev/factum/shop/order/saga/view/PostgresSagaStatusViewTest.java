// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga.view;

import dev.factum.postgres.PostgresEventStore;
import dev.factum.retry.DeadLetterStore;
import dev.factum.shop.order.view.ViewDatabase;
import dev.factum.shop.testing.PostgresTestSchemas;
import dev.factum.store.EventStore;
import dev.factum.subscription.CheckpointStore;
import org.junit.jupiter.api.AfterAll;

import java.sql.SQLException;

/**
 * The saga status read model over PostgreSQL: a fresh schema per test on the test database
 * ({@code FACTUM_TEST_PG_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) holding the store,
 * the dead letters and the read model, all dropped after the class. Fails — never skips — when PostgreSQL is
 * unreachable.
 */
class PostgresSagaStatusViewTest extends SagaStatusViewContract {
    private static final PostgresTestSchemas SCHEMAS = new PostgresTestSchemas("shop_saga_view_");

    @Override
    EventStore openStore() {
        return SCHEMAS.openStore();
    }

    @Override
    CheckpointStore checkpoints(EventStore store) {
        return ((PostgresEventStore) store).checkpointStore();
    }

    @Override
    DeadLetterStore deadLetters(EventStore store) {
        return ((PostgresEventStore) store).deadLetterStore();
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
