// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.postgres.internal.SchemaName;
import dev.factum.postgres.internal.SqlErrors;
import dev.factum.relay.Lease;
import dev.factum.relay.LeaseStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * Named expiring leases in the store's schema ({@code leases} table), so that of the processes sharing the schema one
 * at a time runs a relay. {@link #tryAcquire} is one conditional upsert — {@code INSERT … ON CONFLICT (name) DO UPDATE
 * … WHERE} the holder is the caller or the lease expired — so of owners trying at once, in any number of processes,
 * exactly one wins: PostgreSQL locks the conflicting row and re-checks the condition on its latest version.
 * {@link #release} deletes the row if the caller holds it.
 *
 * <p><b>Clock.</b> By default "now" is the database's clock ({@code statement_timestamp()}), so processes on machines
 * whose clocks disagree still agree on who holds a lease and when it expires; {@link Lease#expiresAt()} is then in
 * database time. A store made with {@link PostgresEventStore#leaseStore(Clock)} uses that Java clock instead — for
 * tests that move time, or when every process passes one shared clock. Do not mix the two on one lease name.
 * Times are kept to the microsecond. Failures raise {@link dev.factum.store.EventStoreException} naming the lease.
 *
 * @since 0.1
 */
public final class PostgresLeaseStore implements LeaseStore {
    private final DataSource pool;
    private final String storeName;
    private final Optional<Clock> clock;
    private final String acquireSql;
    private final String releaseSql;
    private final String currentSql;

    PostgresLeaseStore(DataSource pool, SchemaName schema, String storeName, Optional<Clock> clock) {
        this.pool = pool;
        this.storeName = storeName;
        this.clock = Objects.requireNonNull(clock, "clock");
        String table = schema.table("leases");
        String now = "coalesce(?::timestamptz, statement_timestamp())";
        this.acquireSql = "INSERT INTO " + table + " AS l (name, owner, expires_at)"
                + " VALUES (?, ?, " + now + " + ? * interval '1 microsecond')"
                + " ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at"
                + " WHERE l.owner = excluded.owner OR l.expires_at <= " + now;
        this.releaseSql = "DELETE FROM " + table + " WHERE name = ? AND owner = ?";
        this.currentSql = "SELECT owner, expires_at FROM " + table + " WHERE name = ?";
    }

    @Override
    public boolean tryAcquire(String name, String owner, Duration ttl) {
        requireText(name, "name");
        requireText(owner, "owner");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("lease ttl must be positive, was " + ttl);
        long micros;
        try {
            micros = Math.max(1, ttl.toNanos() / 1_000);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("lease ttl " + ttl + " is too long", e);
        }
        OffsetDateTime now = clock.map(c -> PostgresInbox.timestamp(c.instant())).orElse(null);
        try (Connection c = pool.getConnection(); PreparedStatement upsert = c.prepareStatement(acquireSql)) {
            upsert.setString(1, name);
            upsert.setString(2, owner);
            upsert.setObject(3, now, Types.TIMESTAMP_WITH_TIMEZONE);
            upsert.setLong(4, micros);
            upsert.setObject(5, now, Types.TIMESTAMP_WITH_TIMEZONE);
            return upsert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw SqlErrors.translate("acquiring lease " + name + " for " + owner, storeName, e);
        }
    }

    @Override
    public void release(String name, String owner) {
        requireText(name, "name");
        requireText(owner, "owner");
        try (Connection c = pool.getConnection(); PreparedStatement delete = c.prepareStatement(releaseSql)) {
            delete.setString(1, name);
            delete.setString(2, owner);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.translate("releasing lease " + name + " of " + owner, storeName, e);
        }
    }

    @Override
    public Optional<Lease> current(String name) {
        requireText(name, "name");
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(currentSql)) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) return Optional.empty();
                return Optional.of(new Lease(name, row.getString(1), row.getObject(2, OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("reading lease " + name, storeName, e);
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("lease " + what + " is blank");
    }
}
