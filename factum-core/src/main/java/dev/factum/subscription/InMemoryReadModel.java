// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A keyed read model in memory, one map per generation, for tests, fixtures and small embedded views. A projection
 * writes the map of its batch's generation ({@code model.generation(context.generation())}) and drops old ones in
 * {@link Projection#dropGeneration}; queries read {@code model.view(projections.activeGeneration(name))}.
 *
 * <p>Not transactional: the checkpoint of an in-memory store is not rolled back with it, so writes of a batch that
 * fails half-way stay (they are written again, idempotently if keyed puts, when the batch is redelivered). Thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 * @since 0.1
 */
public final class InMemoryReadModel<K, V> {
    private final Map<Integer, Map<K, V>> generations = new ConcurrentHashMap<>();

    /** The writable map of a generation, created empty on first use. */
    public Map<K, V> generation(int generation) {
        if (generation < 1) throw new IllegalArgumentException("generation must be >= 1, was " + generation);
        return generations.computeIfAbsent(generation, g -> new ConcurrentHashMap<>());
    }

    /** A read-only copy of a generation's entries; empty if the generation has no map. */
    public Map<K, V> view(int generation) {
        Map<K, V> map = generations.get(generation);
        return map == null ? Map.of() : Map.copyOf(map);
    }

    /** One entry of a generation. */
    public Optional<V> get(int generation, K key) {
        Map<K, V> map = generations.get(generation);
        return map == null ? Optional.empty() : Optional.ofNullable(map.get(key));
    }

    /** Forgets a generation's map. */
    public void drop(int generation) {
        generations.remove(generation);
    }

    /** The generations that have a map, in ascending order. */
    public Set<Integer> generations() {
        return new TreeSet<>(generations.keySet());
    }
}
