// SPDX-License-Identifier: Apache-2.0
package dev.factum.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Leases in memory: enough when one process runs every relay. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryLeaseStore implements LeaseStore {
    private final Map<String, Lease> leases = new HashMap<>();
    private final Clock clock;

    public InMemoryLeaseStore(Clock clock) {
        this.clock = clock;
    }

    public InMemoryLeaseStore() {
        this(Clock.systemUTC());
    }

    @Override
    public synchronized boolean tryAcquire(String name, String owner, Duration ttl) {
        requireText(name, "name");
        requireText(owner, "owner");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("lease ttl must be positive, was " + ttl);
        Instant now = clock.instant();
        Lease lease = leases.get(name);
        if (lease != null && !lease.owner().equals(owner) && lease.expiresAt().isAfter(now)) return false;
        leases.put(name, new Lease(name, owner, now.plus(ttl)));
        return true;
    }

    @Override
    public synchronized void release(String name, String owner) {
        Lease lease = leases.get(name);
        if (lease != null && lease.owner().equals(owner)) leases.remove(name);
    }

    @Override
    public synchronized Optional<Lease> current(String name) {
        return Optional.ofNullable(leases.get(name));
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("lease " + what + " is blank");
    }
}
