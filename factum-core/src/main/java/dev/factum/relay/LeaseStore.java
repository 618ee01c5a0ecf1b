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
     * expired, or {@code owner} holds it already (a renewal). Returns whether {@code owner} holds it now.
     */
    boolean tryAcquire(String name, String owner, Duration ttl);

    /** Gives the lease up if {@code owner} holds it. */
    void release(String name, String owner);

    /** The lease's holder and expiry, if anyone ever took it. */
    Optional<Lease> current(String name);
}
