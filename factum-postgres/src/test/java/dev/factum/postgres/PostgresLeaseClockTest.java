// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.relay.Lease;
import dev.factum.relay.LeaseStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostgresEventStore#leaseStore()} reads "now" from the database, not from the JVM: leases expire by the
 * database's clock, whatever the clocks of the processes say. Time is moved by editing the row's expiry, not by
 * waiting.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresLeaseClockTest {
    private static final Duration TTL = Duration.ofHours(1);

    private PostgresStoreFixture fixture;
    private PostgresEventStore store;

    @BeforeEach
    void open() {
        fixture = new PostgresStoreFixture();
        store = (PostgresEventStore) fixture.eventStore();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void a_lease_expires_at_the_database_s_now_plus_the_ttl() throws SQLException {
        LeaseStore leases = store.leaseStore();
        Instant before = databaseNow();

        assertThat(leases.tryAcquire("relay:orders", "a", TTL)).isTrue();

        Instant after = databaseNow();
        Instant expiresAt = leases.current("relay:orders").map(Lease::expiresAt).orElseThrow();
        assertThat(expiresAt).isBetween(before.plus(TTL), after.plus(TTL));
    }

    @Test
    void a_lease_past_its_expiry_by_the_database_s_clock_is_taken_over() throws SQLException {
        LeaseStore leases = store.leaseStore();
        leases.tryAcquire("relay:orders", "a", TTL);
        assertThat(leases.tryAcquire("relay:orders", "b", TTL)).isFalse();

        setExpiry("relay:orders", "clock_timestamp() - interval '1 second'");

        assertThat(leases.tryAcquire("relay:orders", "b", TTL)).isTrue();
        assertThat(leases.current("relay:orders").map(Lease::owner)).contains("b");
    }

    @Test
    void a_database_clock_store_ignores_the_jvm_clock_while_a_java_clock_store_uses_its_own() throws SQLException {
        LeaseStore leases = store.leaseStore();
        leases.tryAcquire("relay:orders", "a", TTL);
        LeaseStore fromTheFuture = store.leaseStore(Clock.fixed(databaseNow().plus(Duration.ofDays(1)), ZoneOffset.UTC));

        assertThat(leases.tryAcquire("relay:orders", "b", TTL)).as("held by the database's clock").isFalse();
        assertThat(fromTheFuture.tryAcquire("relay:orders", "b", TTL))
                .as("a store given a Java clock a day ahead sees the lease expired: the clock decides")
                .isTrue();
    }

    private Instant databaseNow() throws SQLException {
        try (Connection c = fixture.rawConnection();
             PreparedStatement select = c.prepareStatement("SELECT clock_timestamp()");
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private void setExpiry(String name, String expression) throws SQLException {
        try (Connection c = fixture.rawConnection(); PreparedStatement update = c.prepareStatement(
                "UPDATE \"" + fixture.schema() + "\".leases SET expires_at = " + expression + " WHERE name = ?")) {
            update.setString(1, name);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
