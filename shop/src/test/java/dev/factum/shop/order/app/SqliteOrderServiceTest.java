// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.app;

import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The Order write side over the embedded default: a SQLite file in a temporary directory. */
class SqliteOrderServiceTest extends OrderServiceContract {
    @TempDir
    Path dir;

    @Override
    EventStore openStore() {
        return SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop.db")));
    }
}
