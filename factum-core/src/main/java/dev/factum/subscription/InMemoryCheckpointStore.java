// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.FactumException;
import dev.factum.store.Position;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checkpoints in memory, for tests and fixtures. {@link #commit} saves the checkpoint only if the work completed.
 *
 * @since 0.1
 */
public final class InMemoryCheckpointStore implements CheckpointStore {
    private final Map<String, Position> positions = new ConcurrentHashMap<>();

    @Override
    public Optional<Position> load(String subscription) {
        Checkpoint.requireName(subscription);
        return Optional.ofNullable(positions.get(subscription));
    }

    @Override
    public void commit(Checkpoint checkpoint, TransactionalWork work) {
        synchronized (this) {
            try {
                work.run(StoreTransaction.NONE);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new FactumException("work of subscription " + checkpoint.subscription() + " failed: " + e.getMessage(), e);
            }
            positions.put(checkpoint.subscription(), checkpoint.position());
        }
    }

    @Override
    public void delete(String subscription) {
        Checkpoint.requireName(subscription);
        positions.remove(subscription);
    }
}
