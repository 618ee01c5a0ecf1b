// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import dev.factum.retry.internal.DeadLetterRefusals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Dead letters in memory, for tests and the in-memory event store. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryDeadLetterStore implements DeadLetterStore {
    static final Comparator<DeadLetter> NEWEST_FIRST =
            Comparator.comparing(DeadLetter::deadAt).thenComparing(DeadLetter::id).reversed();
    private final Map<UUID, DeadLetter> letters = new LinkedHashMap<>();

    @Override
    public synchronized void add(DeadLetter letter) {
        letters.putIfAbsent(letter.id(), letter);
    }

    @Override
    public synchronized Optional<DeadLetter> find(UUID id) {
        return Optional.ofNullable(letters.get(id));
    }

    @Override
    public synchronized List<DeadLetter> list(DeadLetterQuery query) {
        return letters.values().stream().filter(query::matches).sorted(NEWEST_FIRST).limit(query.limit()).toList();
    }

    @Override
    public synchronized void addAttempt(UUID id, Attempt attempt) {
        letters.put(id, existing(id).withAttempt(attempt));
    }

    @Override
    public synchronized DeadLetter requestReplay(UUID id, Instant at) {
        DeadLetter letter = existing(id);
        if (letter.state() != DeadLetterState.PARKED) throw DeadLetterRefusals.inState(id, letter.state());
        DeadLetter requested = letter.replayRequested(at);
        letters.put(id, requested);
        return requested;
    }

    @Override
    public synchronized DeadLetter resolve(UUID id, DeadLetterState state, String note, Instant at) {
        if (!state.resolved()) {
            throw new IllegalArgumentException("a dead letter is resolved as replayed or discarded, not " + state);
        }
        DeadLetter letter = existing(id);
        if (letter.state().resolved()) throw DeadLetterRefusals.inState(id, letter.state());
        DeadLetter resolved = letter.resolved(state, note, at);
        letters.put(id, resolved);
        return resolved;
    }

    @Override
    public synchronized int pruneResolved(Instant before) {
        List<UUID> gone = new ArrayList<>();
        letters.values().forEach(l -> {
            if (l.state().resolved() && l.resolvedAt().orElseThrow().isBefore(before)) gone.add(l.id());
        });
        gone.forEach(letters::remove);
        return gone.size();
    }

    private DeadLetter existing(UUID id) {
        DeadLetter letter = letters.get(id);
        if (letter == null) throw new DeadLetterNotFoundException(id);
        return letter;
    }
}
