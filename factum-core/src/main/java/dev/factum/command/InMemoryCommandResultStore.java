// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link CommandResultStore} in memory, bounded: it remembers the most recent {@code capacity} commands (default
 * {@value #DEFAULT_CAPACITY}) and forgets the oldest beyond that, so a command resent after that many newer ones runs
 * again. Lost on restart. Enough for tests and for resends that follow closely (a client's retry after a timeout); a
 * durable store gives the guarantee across restarts.
 *
 * @since 0.1
 */
public final class InMemoryCommandResultStore implements CommandResultStore {
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final LinkedHashMap<UUID, CompletedCommand> done;

    public InMemoryCommandResultStore() {
        this(DEFAULT_CAPACITY);
    }

    /** A store that remembers at most {@code capacity} commands; refused: a capacity below 1. */
    public InMemoryCommandResultStore(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        this.capacity = capacity;
        this.done = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, CompletedCommand> eldest) {
                return size() > InMemoryCommandResultStore.this.capacity;
            }
        };
    }

    @Override
    public synchronized Optional<CompletedCommand> find(UUID commandId) {
        return Optional.ofNullable(done.get(commandId));
    }

    @Override
    public synchronized void save(CompletedCommand completed) {
        done.putIfAbsent(completed.commandId(), completed);
    }

    /** How many commands are remembered now. */
    public synchronized int size() {
        return done.size();
    }
}
