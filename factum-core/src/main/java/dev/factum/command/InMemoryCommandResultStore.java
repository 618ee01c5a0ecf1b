// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link CommandResultStore} in memory, bounded twice: it remembers the most recent {@code capacity} commands
 * (default {@value #DEFAULT_CAPACITY}) and forgets the oldest beyond that, and it forgets a command once its result is
 * older than {@link CommandResultOptions#retention()}. Claims work as the interface says, within this one process. Lost
 * on restart. Enough for tests and for resends that follow closely (a client's retry after a timeout); a durable
 * store gives the guarantee across restarts and processes. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryCommandResultStore implements CommandResultStore {
    public static final int DEFAULT_CAPACITY = 10_000;
    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);

    /** One remembered id: claimed ({@code result == null}) or done. */
    private record Remembered(String commandType, UUID claimId, Instant claimedAt, Object result, Instant recordedAt) {
        boolean done() {
            return result != null;
        }
    }

    private final int capacity;
    private final CommandResultOptions options;
    private final LinkedHashMap<UUID, Remembered> entries;
    private Instant lastPrune = Instant.MIN;

    /** {@value #DEFAULT_CAPACITY} commands, {@link CommandResultOptions#defaults()}. */
    public InMemoryCommandResultStore() {
        this(DEFAULT_CAPACITY);
    }

    /** A store that remembers at most {@code capacity} commands; refused: a capacity below 1. */
    public InMemoryCommandResultStore(int capacity) {
        this(capacity, CommandResultOptions.defaults());
    }

    /** At most {@code capacity} commands, each for the retention in {@code options}; refused: a capacity below 1. */
    public InMemoryCommandResultStore(int capacity, CommandResultOptions options) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        this.capacity = capacity;
        this.options = Objects.requireNonNull(options, "options");
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Remembered> eldest) {
                return size() > InMemoryCommandResultStore.this.capacity;
            }
        };
    }

    @Override
    public synchronized Optional<CompletedCommand> find(UUID commandId) {
        Objects.requireNonNull(commandId, "commandId");
        Remembered entry = entries.get(commandId);
        if (entry == null || !entry.done() || forgotten(entry, now())) return Optional.empty();
        return Optional.of(new CompletedCommand(commandId, entry.commandType(), entry.result()));
    }

    @Override
    public synchronized CommandClaim claim(UUID commandId, String commandType) {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(commandType, "commandType");
        Instant now = now();
        if (!now.isBefore(lastPrune.plus(PRUNE_INTERVAL))) prune();
        Remembered entry = entries.get(commandId);
        if (entry != null && entry.done() && !forgotten(entry, now)) {
            return new CommandClaim.Done(new CompletedCommand(commandId, entry.commandType(), entry.result()));
        }
        if (entry != null && !entry.done() && entry.claimedAt().isAfter(options.abandonedBefore(now))) {
            return new CommandClaim.Running(commandId, entry.commandType(), entry.claimedAt());
        }
        UUID claimId = UUID.randomUUID();
        entries.remove(commandId); // a taken-over id counts as new for the capacity
        entries.put(commandId, new Remembered(commandType, claimId, now, null, now));
        return new CommandClaim.Claimed(commandId, claimId);
    }

    @Override
    public synchronized void save(CompletedCommand completed) {
        Objects.requireNonNull(completed, "completed");
        Instant now = now();
        Remembered entry = entries.get(completed.commandId());
        if (entry != null && entry.done() && !forgotten(entry, now)) return; // the first result stands
        boolean claimed = entry != null && !entry.done();
        UUID claimId = claimed ? entry.claimId() : UUID.randomUUID();
        Instant claimedAt = claimed ? entry.claimedAt() : now;
        entries.put(completed.commandId(), new Remembered(completed.commandType(), claimId, claimedAt, completed.result(), now));
    }

    @Override
    public synchronized void release(CommandClaim.Claimed claim) {
        Objects.requireNonNull(claim, "claim");
        Remembered entry = entries.get(claim.commandId());
        if (entry != null && !entry.done() && entry.claimId().equals(claim.claimId())) entries.remove(claim.commandId());
    }

    @Override
    public synchronized int prune() {
        Instant now = now();
        lastPrune = now;
        int pruned = 0;
        for (Iterator<Remembered> it = entries.values().iterator(); it.hasNext(); ) {
            if (it.next().recordedAt().isBefore(options.forgottenBefore(now))) {
                it.remove();
                pruned++;
            }
        }
        return pruned;
    }

    /** How many commands are remembered now, claimed or done. */
    public synchronized int size() {
        return entries.size();
    }

    private boolean forgotten(Remembered entry, Instant now) {
        return entry.recordedAt().isBefore(options.forgottenBefore(now));
    }

    private Instant now() {
        return options.clock().instant();
    }
}
