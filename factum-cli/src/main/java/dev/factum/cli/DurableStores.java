// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.postgres.PostgresConfig;
import dev.factum.postgres.PostgresEventStore;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the durable stores for the command line: one short-lived process, so a small PostgreSQL pool. */
final class DurableStores {
    /** A command uses one connection at a time, tail a second one for its subscription, PostgreSQL one to listen. */
    private static final int POSTGRES_POOL_SIZE = 4;

    private DurableStores() {
    }

    static EventStore open(StoreTarget target) {
        return switch (target) {
            case StoreTarget.Sqlite sqlite -> {
                createParentDirectory(sqlite.file());
                yield SqliteEventStore.open(SqliteConfig.of(sqlite.file()));
            }
            case StoreTarget.Postgres postgres -> {
                PostgresConfig config = PostgresConfig.of(postgres.jdbcUrl()).withMaxPoolSize(POSTGRES_POOL_SIZE);
                if (postgres.schema().isPresent()) config = config.withSchema(postgres.schema().get());
                yield PostgresEventStore.open(config);
            }
        };
    }

    private static void createParentDirectory(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || Files.isDirectory(parent)) return;
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new CliFailure("cannot create the directory " + parent + " for the store: "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }
}
