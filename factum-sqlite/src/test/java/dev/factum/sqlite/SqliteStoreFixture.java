// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.store.EventStore;
import dev.factum.store.StoreLimits;
import dev.factum.subscription.CheckpointStore;
import dev.factum.test.conformance.StoreCapabilities;
import dev.factum.test.conformance.StoreFixture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SQLite store over a new temporary file (in its own directory, deleted on close), with the default settings
 * (synchronous FULL). {@link #openEventStore} opens a second, independent store instance on the same file, as another
 * process would.
 */
public final class SqliteStoreFixture implements StoreFixture {
    /** recorded_at is stored in epoch microseconds. */
    static final StoreCapabilities CAPABILITIES = new StoreCapabilities(ChronoUnit.MICROS, true, true);

    private final Path directory;
    private final SqliteConfig config;
    private final SqliteEventStore store;
    private final List<SqliteEventStore> others = new ArrayList<>();

    public SqliteStoreFixture() {
        try {
            directory = Files.createTempDirectory("factum-sqlite-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config = SqliteConfig.of(directory.resolve("store.db"));
        store = SqliteEventStore.open(config);
    }

    /** The file's settings; tests open further instances with variations of it. */
    public SqliteConfig config() {
        return config;
    }

    @Override
    public SqliteEventStore eventStore() {
        return store;
    }

    @Override
    public synchronized EventStore openEventStore(StoreLimits limits) {
        SqliteEventStore other = SqliteEventStore.open(config.withLimits(limits));
        others.add(other);
        return other;
    }

    /** Another instance on the same file with other settings; closed by this fixture. */
    public synchronized SqliteEventStore open(SqliteConfig variant) {
        SqliteEventStore other = SqliteEventStore.open(variant);
        others.add(other);
        return other;
    }

    @Override
    public CheckpointStore checkpointStore() {
        return store.checkpointStore();
    }

    @Override
    public StoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public synchronized void close() {
        try {
            others.forEach(SqliteEventStore::close);
            store.close();
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
