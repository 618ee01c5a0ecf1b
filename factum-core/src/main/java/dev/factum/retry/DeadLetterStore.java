// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where dead letters are kept: {@link InMemoryDeadLetterStore} for tests, tables on SQLite and PostgreSQL.
 * Every implementation passes {@code DeadLetterStoreConformance} ({@code factum-test}).
 *
 * <p>States move {@code PARKED → REPLAY_REQUESTED} ({@link #requestReplay}), {@code REPLAY_REQUESTED → PARKED} (a
 * failed replay, {@link #addAttempt}), and from either of those once to {@code REPLAYED} or {@code DISCARDED}
 * ({@link #resolve}). Each change is atomic in the store, so two processes cannot both make it.
 *
 * @since 0.1
 */
public interface DeadLetterStore {

    /** Stores a new letter; adding a letter with an id that is already stored changes nothing. */
    void add(DeadLetter letter);

    Optional<DeadLetter> find(UUID id);

    /** The letters passing {@code query}, newest first (by {@code deadAt}, then id). */
    List<DeadLetter> list(DeadLetterQuery query);

    /**
     * Records a failed replay: adds the attempt and makes its error the letter's reason; a letter waiting for its
     * requested replay ({@code REPLAY_REQUESTED}) is parked again, one in another state keeps it.
     *
     * @throws DeadLetterNotFoundException if there is no such letter
     */
    void addAttempt(UUID id, Attempt attempt);

    /**
     * Asks for a parked letter to be replayed by a process where its consumer runs: moves it to
     * {@code REPLAY_REQUESTED} with {@code at} as its {@link DeadLetter#replayRequestedAt()}, only if it is parked.
     *
     * @return the letter as it is now
     * @throws DeadLetterNotFoundException if there is no such letter
     * @throws IllegalStateException       if it is not parked (a replay is requested already, or it is resolved),
     *                                     naming the state it is in
     */
    DeadLetter requestReplay(UUID id, Instant at);

    /**
     * Resolves a parked letter, or one waiting for its requested replay, as {@code REPLAYED} or {@code DISCARDED},
     * with a note.
     *
     * @return the letter as it is now
     * @throws IllegalArgumentException    if {@code state} is not {@code REPLAYED} or {@code DISCARDED}
     * @throws DeadLetterNotFoundException if there is no such letter
     * @throws IllegalStateException       if it is resolved already, naming how
     */
    DeadLetter resolve(UUID id, DeadLetterState state, String note, Instant at);

    /**
     * Deletes letters resolved before {@code before}; parked letters and those waiting for a replay are kept.
     * Returns how many went.
     */
    int pruneResolved(Instant before);
}
