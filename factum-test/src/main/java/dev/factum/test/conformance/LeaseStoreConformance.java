// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.relay.Lease;
import dev.factum.relay.LeaseStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link LeaseStore} SPI: a lease is held by one owner at a time — also when several owners, in several store
 * instances, try at once — until it expires (from its {@code expiresAt} on) or is released; its holder renews it;
 * names are independent; a non-positive time to live is refused. Time is an adjustable clock handed to the store, so
 * expiry is tested without waiting. Subclass it once per store, overriding {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class LeaseStoreConformance extends StoreSuite {
    private static final String EXCLUSIVE = "a lease has one holder until it expires or is released";
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private AdjustableClock clock;
    private LeaseStore leases;
    /** A lease name no other test uses. */
    private String name;

    @BeforeEach
    protected final void openLeases() {
        clock = new AdjustableClock(T0);
        leases = fixture.leaseStore(clock);
        name = "relay:conformance-" + UUID.randomUUID();
    }

    @Nested
    class Acquiring {

        @Test
        void a_free_lease_is_taken_until_now_plus_the_ttl() {
            assertThat(leases.tryAcquire(name, "a", TTL)).isTrue();

            assertThat(leases.current(name)).contains(new Lease(name, "a", T0.plus(TTL)));
        }

        @Test
        void a_lease_nobody_took_has_no_holder() {
            assertThat(leases.current(name)).isEmpty();
        }

        @Test
        void a_held_lease_is_refused_to_another_owner_and_stays_as_it_was() {
            leases.tryAcquire(name, "a", TTL);
            clock.advance(Duration.ofSeconds(10));

            assertThat(leases.tryAcquire(name, "b", TTL)).as(EXCLUSIVE).isFalse();

            assertThat(leases.current(name)).contains(new Lease(name, "a", T0.plus(TTL)));
        }

        @Test
        void names_are_independent() {
            assertThat(leases.tryAcquire(name, "a", TTL)).isTrue();
            assertThat(leases.tryAcquire(name + "-other", "b", TTL)).isTrue();

            assertThat(leases.current(name + "-other")).contains(new Lease(name + "-other", "b", T0.plus(TTL)));
        }

        @Test
        void a_non_positive_ttl_is_refused() {
            assertThatThrownBy(() -> leases.tryAcquire(name, "a", Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
            assertThatThrownBy(() -> leases.tryAcquire(name, "a", Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");

            assertThat(leases.current(name)).isEmpty();
        }

        @Test
        void a_blank_name_or_owner_is_refused() {
            assertThatThrownBy(() -> leases.tryAcquire(" ", "a", TTL)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> leases.tryAcquire(name, "", TTL)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Renewing {

        @Test
        void the_holder_extends_its_lease_from_now() {
            leases.tryAcquire(name, "a", TTL);
            clock.advance(Duration.ofSeconds(20));

            assertThat(leases.tryAcquire(name, "a", TTL)).isTrue();

            assertThat(leases.current(name)).contains(new Lease(name, "a", T0.plusSeconds(20).plus(TTL)));
        }

        @Test
        void a_renewed_lease_outlives_the_first_expiry() {
            leases.tryAcquire(name, "a", TTL);
            clock.advance(Duration.ofSeconds(20));
            leases.tryAcquire(name, "a", TTL);
            clock.advance(Duration.ofSeconds(20));

            assertThat(leases.tryAcquire(name, "b", TTL)).as(EXCLUSIVE).isFalse();
        }

        @Test
        void the_holder_may_take_its_expired_lease_back() {
            leases.tryAcquire(name, "a", TTL);
            clock.advance(TTL.plusSeconds(5));

            assertThat(leases.tryAcquire(name, "a", TTL)).isTrue();

            assertThat(leases.current(name)).contains(new Lease(name, "a", T0.plusSeconds(5).plus(TTL).plus(TTL)));
        }
    }

    @Nested
    class Expiring {

        @Test
        void a_lease_is_held_until_just_before_its_expiry() {
            leases.tryAcquire(name, "a", TTL);
            clock.advance(TTL.minusNanos(1000));

            assertThat(leases.tryAcquire(name, "b", TTL)).as(EXCLUSIVE).isFalse();
        }

        @Test
        void from_its_expiry_on_another_owner_takes_it() {
            leases.tryAcquire(name, "a", TTL);
            clock.advance(TTL);

            assertThat(leases.tryAcquire(name, "b", TTL)).isTrue();

            assertThat(leases.current(name)).contains(new Lease(name, "b", T0.plus(TTL).plus(TTL)));
            assertThat(leases.tryAcquire(name, "a", TTL)).as("the old holder lost it").isFalse();
        }

        @Test
        void an_expired_lease_still_shows_its_last_holder() {
            leases.tryAcquire(name, "a", TTL);
            clock.advance(TTL.multipliedBy(2));

            assertThat(leases.current(name)).contains(new Lease(name, "a", T0.plus(TTL)));
        }
    }

    @Nested
    class Releasing {

        @Test
        void lets_another_owner_take_it_at_once() {
            leases.tryAcquire(name, "a", TTL);

            leases.release(name, "a");

            assertThat(leases.current(name)).isEmpty();
            assertThat(leases.tryAcquire(name, "b", TTL)).isTrue();
        }

        @Test
        void by_someone_else_changes_nothing() {
            leases.tryAcquire(name, "a", TTL);

            leases.release(name, "b");

            assertThat(leases.current(name)).contains(new Lease(name, "a", T0.plus(TTL)));
            assertThat(leases.tryAcquire(name, "b", TTL)).as(EXCLUSIVE).isFalse();
        }

        @Test
        void a_lease_nobody_holds_is_harmless() {
            leases.release(name, "a");

            assertThat(leases.current(name)).isEmpty();
        }
    }

    @Nested
    class Competing_owners {

        /** Another store instance over the same database where the store has several; else this one. */
        private LeaseStore other() {
            return fixture.capabilities().multipleInstances() ? fixture.openLeaseStore(clock) : leases;
        }

        @RepeatedTest(5)
        void of_owners_trying_at_once_exactly_one_wins_also_across_instances() throws Exception {
            LeaseStore other = other();
            CountDownLatch start = new CountDownLatch(1);
            List<String> winners = new CopyOnWriteArrayList<>();
            List<Thread> owners = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                LeaseStore store = i % 2 == 0 ? leases : other;
                String owner = "owner-" + i;
                owners.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        if (store.tryAcquire(name, owner, TTL)) winners.add(owner);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }

            start.countDown();
            for (Thread owner : owners) assertThat(owner.join(Duration.ofSeconds(30))).isTrue();

            assertThat(winners).as(EXCLUSIVE).hasSize(1);
            assertThat(leases.current(name).map(Lease::owner)).contains(winners.getFirst());
        }

        @Test
        void another_instance_sees_the_lease_where_the_store_has_several() {
            leases.tryAcquire(name, "a", TTL);

            LeaseStore other = fixture.openLeaseStore(clock);

            if (fixture.capabilities().multipleInstances()) {
                assertThat(other.tryAcquire(name, "b", TTL)).as(EXCLUSIVE + ", across processes").isFalse();
                assertThat(other.current(name)).contains(new Lease(name, "a", T0.plus(TTL)));
            } else {
                assertThat(other.current(name)).as("leases of one process are not shared").isEmpty();
            }
        }
    }
}
