// SPDX-License-Identifier: Apache-2.0
package dev.factum.relay;

import java.time.Duration;
import java.util.Optional;

/**
 * Named, expiring leases, so that of several processes running the same {@link Relay} only one sends at a time. A
 * holder renews its lease well before it expires; a lease whose holder died expires and another process takes it.
 * {@link InMemoryLeaseStore} for one process; a table on SQLite and PostgreSQL for several.
 *
 * @since 0.1
 */
public interface LeaseStore {

    /**
     * Takes lease {@code name} for {@code owner} until now + {@code ttl} if nobody holds it, its holder's lease
     * expired, or {@code owner} holds it already (a renewal). Returns whether {@code owner} holds it now. A lease
     * counts as expired from its {@link Lease#expiresAt()} on. Atomic: of several owners trying at once, one wins.
     *
     * @throws IllegalArgumentException if {@code name} or {@code owner} is blank, or {@code ttl} is zero or negative
     *                                  (expiry is tested with a clock the test controls, not with a lease born expired)
     */
    boolean tryAcquire(String name, String owner, Duration ttl);

    /** Gives the lease up if {@code owner} holds it (expired or not); anyone may take it at once after. */
    void release(String name, String owner);

    /** The lease's last holder and expiry — possibly past — unless nobody took it or its holder released it. */
    Optional<Lease> current(String name);
}
