// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.relay.Lease;
import dev.factum.relay.LeaseStore;
import dev.factum.sqlite.internal.ReadPool;
import dev.factum.sqlite.internal.WriterConnection;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Named expiring leases in the {@code leases} table of the store's SQLite file, so that of the processes sharing the
 * file one at a time runs a relay. {@link #tryAcquire} is one conditional upsert — insert the lease, or take over the
 * row if its owner is the caller or it expired — in a write transaction of the store's writer connection, so of
 * owners trying at once, in any process, one wins. {@link #release} deletes the row if the caller holds it.
 *
 * <p><b>Clock.</b> "Now" is the store's Java clock ({@link SqliteEventStore#leaseStore(Clock)}; the system UTC clock by
 * default), kept in epoch microseconds. The processes sharing a file run on one machine, so they read the same system
 * clock. A lease counts as expired from its expiry on. Failures of SQLite raise
 * {@link dev.factum.store.EventStoreException} naming the lease.
 *
 * @since 0.1
 */
public final class SqliteLeaseStore implements LeaseStore {
    private static final String ACQUIRE = """
            INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE leases.owner = excluded.owner OR leases.expires_at <= ?""";
    private static final String RELEASE = "DELETE FROM leases WHERE name = ? AND owner = ?";
    private static final String CURRENT = "SELECT owner, expires_at FROM leases WHERE name = ?";

    private final WriterConnection writer;
    private final ReadPool readers;
    private final Clock clock;

    SqliteLeaseStore(WriterConnection writer, ReadPool readers, Clock clock) {
        this.writer = writer;
        this.readers = readers;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean tryAcquire(String name, String owner, Duration ttl) {
        requireText(name, "name");
        requireText(owner, "owner");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("lease ttl must be positive, was " + ttl);
        long now = micros(clock.instant());
        long expiresAt;
        try {
            expiresAt = Math.addExact(now, Math.max(1, ttl.toNanos() / 1_000));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("lease ttl " + ttl + " is too long", e);
        }
        return writer.write("acquire lease " + name + " for " + owner, connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(ACQUIRE)) {
                upsert.setString(1, name);
                upsert.setString(2, owner);
                upsert.setLong(3, expiresAt);
                upsert.setLong(4, now);
                return upsert.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void release(String name, String owner) {
        requireText(name, "name");
        requireText(owner, "owner");
        writer.write("release lease " + name + " of " + owner, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(RELEASE)) {
                delete.setString(1, name);
                delete.setString(2, owner);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Lease> current(String name) {
        requireText(name, "name");
        return readers.read("read lease " + name, lease -> {
            PreparedStatement select = lease.prepare(CURRENT);
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) return Optional.empty();
                return Optional.of(new Lease(name, row.getString(1),
                        Instant.EPOCH.plus(row.getLong(2), ChronoUnit.MICROS)));
            }
        });
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("lease " + what + " is blank");
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }
}
