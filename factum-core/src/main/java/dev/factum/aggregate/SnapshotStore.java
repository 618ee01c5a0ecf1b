// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.store.StreamId;

import java.util.Optional;

/**
 * Keeps the latest {@link Snapshot} of each stream. Snapshots are a cache: losing one only makes the next load replay
 * more events, so a {@link Repository} logs a failing save or load and carries on without it.
 *
 * @since 0.1
 */
public interface SnapshotStore {

    /**
     * Stores {@code snapshot} as the stream's latest, unless a snapshot at a higher version is stored already (writers
     * may finish out of order).
     */
    void save(Snapshot snapshot);

    /** The stream's latest snapshot, if any. */
    Optional<Snapshot> load(StreamId stream);
}
