// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.store.StoreLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SqliteEventStore}. Start from {@link #of(Path)} and change what you need with the copy-on-set
 * {@code with…} methods: {@code SqliteConfig.of(Path.of("data/factum.db")).withSynchronous(SqliteSynchronous.NORMAL)}.
 *
 * @param file            the database file; created (with its parent directories) if missing
 * @param synchronous     how durable a commit is; {@link SqliteSynchronous#FULL} by default (durable on power loss)
 * @param limits          payload and append size limits enforced before anything is written
 * @param busyTimeout     how long a connection waits for another process's write lock before failing (default 10 s,
 *                        whole milliseconds, at most {@link Integer#MAX_VALUE} ms)
 * @param readConnections size of the read-only connection pool, 1 to 64 (default 4)
 * @since 0.1
 */
public record SqliteConfig(Path file, SqliteSynchronous synchronous, StoreLimits limits, Duration busyTimeout,
                           int readConnections) {

    public SqliteConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(synchronous, "synchronous");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busy timeout must be between 0 and " + Integer.MAX_VALUE + " ms, was "
                    + busyTimeout);
        }
        if (readConnections < 1 || readConnections > 64) {
            throw new IllegalArgumentException("read connections must be between 1 and 64, was " + readConnections);
        }
    }

    /** Defaults for {@code file}: synchronous FULL, default limits, 10 s busy timeout, 4 read connections. */
    public static SqliteConfig of(Path file) {
        return new SqliteConfig(file, SqliteSynchronous.FULL, StoreLimits.DEFAULT, Duration.ofSeconds(10), 4);
    }

    public SqliteConfig withSynchronous(SqliteSynchronous value) {
        return new SqliteConfig(file, value, limits, busyTimeout, readConnections);
    }

    public SqliteConfig withLimits(StoreLimits value) {
        return new SqliteConfig(file, synchronous, value, busyTimeout, readConnections);
    }

    public SqliteConfig withBusyTimeout(Duration value) {
        return new SqliteConfig(file, synchronous, limits, value, readConnections);
    }

    public SqliteConfig withReadConnections(int value) {
        return new SqliteConfig(file, synchronous, limits, busyTimeout, value);
    }
}
