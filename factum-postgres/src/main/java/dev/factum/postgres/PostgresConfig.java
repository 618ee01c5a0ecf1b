// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.postgres.internal.SchemaName;
import dev.factum.store.StoreLimits;

import java.time.Duration;
import java.util.Objects;

/**
 * How to open a {@link PostgresEventStore}. Copy-on-set:
 * {@code PostgresConfig.of("jdbc:postgresql://db:5432/app?user=app").withSchema("orders").withMaxPoolSize(20)}.
 *
 * @param jdbcUrl        pgjdbc URL of the database, credentials included as URL parameters if needed
 * @param schema         the schema holding every Factum table (created at start-up if missing); a plain identifier:
 *                       a letter or {@code _}, then letters, digits or {@code _}, at most 48 characters
 * @param maxPoolSize    most pooled connections for reads and checkpoint transactions (the writer and the
 *                       LISTEN connection come on top)
 * @param limits         payload and append size limits enforced before anything is written
 * @param maxBatchEvents most events one group-commit transaction carries (a single larger append still goes alone)
 * @param notificationWait how long the LISTEN thread waits for a notification before checking its connection
 * @since 0.1
 */
public record PostgresConfig(String jdbcUrl, String schema, int maxPoolSize, StoreLimits limits, int maxBatchEvents,
                             Duration notificationWait) {
    /** The schema used when none is given. */
    public static final String DEFAULT_SCHEMA = "factum";

    public PostgresConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (expected jdbc:postgresql://host:port/database): "
                    + SchemaName.withoutParameters(jdbcUrl));
        }
        SchemaName.of(schema);
        if (maxPoolSize < 1) throw new IllegalArgumentException("maxPoolSize must be >= 1, was " + maxPoolSize);
        Objects.requireNonNull(limits, "limits");
        if (maxBatchEvents < 1) throw new IllegalArgumentException("maxBatchEvents must be >= 1, was " + maxBatchEvents);
        Objects.requireNonNull(notificationWait, "notificationWait");
        if (notificationWait.isNegative() || notificationWait.isZero()) {
            throw new IllegalArgumentException("notificationWait must be positive, was " + notificationWait);
        }
    }

    /**
     * Defaults: schema {@value #DEFAULT_SCHEMA}, 10 pooled connections, default limits, 2,000 events per batch, a
     * 500 ms LISTEN wait.
     */
    public static PostgresConfig of(String jdbcUrl) {
        return new PostgresConfig(jdbcUrl, DEFAULT_SCHEMA, 10, StoreLimits.DEFAULT, 2000, Duration.ofMillis(500));
    }

    public PostgresConfig withSchema(String name) {
        return new PostgresConfig(jdbcUrl, name, maxPoolSize, limits, maxBatchEvents, notificationWait);
    }

    public PostgresConfig withMaxPoolSize(int size) {
        return new PostgresConfig(jdbcUrl, schema, size, limits, maxBatchEvents, notificationWait);
    }

    public PostgresConfig withLimits(StoreLimits newLimits) {
        return new PostgresConfig(jdbcUrl, schema, maxPoolSize, newLimits, maxBatchEvents, notificationWait);
    }

    public PostgresConfig withMaxBatchEvents(int events) {
        return new PostgresConfig(jdbcUrl, schema, maxPoolSize, limits, events, notificationWait);
    }

    public PostgresConfig withNotificationWait(Duration wait) {
        return new PostgresConfig(jdbcUrl, schema, maxPoolSize, limits, maxBatchEvents, wait);
    }

    /** The URL without its parameters (which may hold a password): safe to log and print. */
    public String describe() {
        return SchemaName.withoutParameters(jdbcUrl) + " schema " + schema;
    }
}
