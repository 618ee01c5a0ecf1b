// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.store.StreamId;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link SnapshotStore} in a map, for tests and for processes that accept rebuilding snapshots after a restart.
 * Thread-safe.
 *
 * @since 0.1
 */
public final class InMemorySnapshotStore implements SnapshotStore {
    private final ConcurrentMap<StreamId, Snapshot> snapshots = new ConcurrentHashMap<>();

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        snapshots.merge(snapshot.stream(), snapshot, (old, now) -> now.version() >= old.version() ? now : old);
    }

    @Override
    public Optional<Snapshot> load(StreamId stream) {
        return Optional.ofNullable(snapshots.get(stream));
    }
}
