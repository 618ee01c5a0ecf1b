// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Repository} handles commands. Copy-on-set: {@code RepositoryOptions.defaults().maxAttempts(5)
 * .snapshots(store, 100)}.
 *
 * @param maxAttempts   how many times a command is decided and appended in all when appends keep meeting a concurrent
 *                      writer ({@link dev.factum.store.WrongExpectedVersionException}); 1 means no retry; default
 *                      {@value #DEFAULT_MAX_ATTEMPTS}
 * @param snapshotStore where snapshots are kept; empty (the default) means no snapshots
 * @param snapshotEvery take a snapshot after a command that leaves the stream this many events or more past its last
 *                      usable snapshot, 1 or more; ignored without a snapshot store
 * @since 0.1
 */
public record RepositoryOptions(int maxAttempts, Optional<SnapshotStore> snapshotStore, int snapshotEvery) {
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int DEFAULT_SNAPSHOT_EVERY = 100;

    public RepositoryOptions {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        Objects.requireNonNull(snapshotStore, "snapshotStore");
        if (snapshotEvery < 1) throw new IllegalArgumentException("snapshotEvery must be >= 1, was " + snapshotEvery);
    }

    /** {@value #DEFAULT_MAX_ATTEMPTS} attempts, no snapshots. */
    public static RepositoryOptions defaults() {
        return new RepositoryOptions(DEFAULT_MAX_ATTEMPTS, Optional.empty(), DEFAULT_SNAPSHOT_EVERY);
    }

    public RepositoryOptions maxAttempts(int attempts) {
        return new RepositoryOptions(attempts, snapshotStore, snapshotEvery);
    }

    /** Snapshots in {@code store}, one every {@code everyEvents} events or more per stream. */
    public RepositoryOptions snapshots(SnapshotStore store, int everyEvents) {
        return new RepositoryOptions(maxAttempts, Optional.of(store), everyEvents);
    }

    public RepositoryOptions withoutSnapshots() {
        return new RepositoryOptions(maxAttempts, Optional.empty(), snapshotEvery);
    }
}
