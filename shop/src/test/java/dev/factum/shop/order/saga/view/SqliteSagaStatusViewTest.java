// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga.view;

import dev.factum.retry.DeadLetterStore;
import dev.factum.shop.order.view.ViewDatabase;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;
import dev.factum.subscription.CheckpointStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The saga status read model over the embedded default: a SQLite file in a temporary directory. */
class SqliteSagaStatusViewTest extends SagaStatusViewContract {
    @TempDir
    Path dir;

    @Override
    EventStore openStore() {
        return SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")));
    }

    @Override
    CheckpointStore checkpoints(EventStore store) {
        return ((SqliteEventStore) store).checkpointStore();
    }

    @Override
    DeadLetterStore deadLetters(EventStore store) {
        return ((SqliteEventStore) store).deadLetterStore();
    }

    @Override
    ViewDatabase database(EventStore store) {
        return ViewDatabase.sqlite(((SqliteEventStore) store).config().file());
    }
}
