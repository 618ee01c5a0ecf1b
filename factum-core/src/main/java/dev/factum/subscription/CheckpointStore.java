// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.store.Position;

import java.util.Optional;

/**
 * Durable checkpoints of subscriptions. {@link #commit} stores a checkpoint together with the work that reached it,
 * in one transaction where the store has transactions: after a crash, either both are there or neither is, so a
 * handler whose effect lives in the same database sees each event's effect exactly once.
 *
 * @since 0.1
 */
public interface CheckpointStore {

    /** The subscription's stored position, or empty if it never saved one. */
    Optional<Position> load(String subscription);

    /**
     * Runs {@code work} in a transaction and stores {@code checkpoint} in the same one. If the work throws, nothing is
     * committed and the exception propagates (checked exceptions wrapped in a
     * {@link dev.factum.FactumException}).
     */
    void commit(Checkpoint checkpoint, TransactionalWork work);

    /** Stores a checkpoint on its own. */
    default void save(Checkpoint checkpoint) {
        commit(checkpoint, tx -> {
        });
    }

    /** Forgets a subscription's checkpoint, so it starts from the beginning next time. */
    void delete(String subscription);

    /** Work done inside a checkpoint's transaction. */
    @FunctionalInterface
    interface TransactionalWork {
        void run(StoreTransaction transaction) throws Exception;
    }
}
