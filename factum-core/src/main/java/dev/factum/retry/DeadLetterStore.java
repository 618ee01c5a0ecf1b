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
 * @since 0.1
 */
public interface DeadLetterStore {

    /** Stores a new letter; adding a letter with an id that is already stored changes nothing. */
    void add(DeadLetter letter);

    Optional<DeadLetter> find(UUID id);

    /** The letters passing {@code query}, newest first (by {@code deadAt}, then id). */
    List<DeadLetter> list(DeadLetterQuery query);

    /**
     * Records a failed replay of a parked letter: adds the attempt and makes its error the letter's reason.
     *
     * @throws DeadLetterNotFoundException if there is no such letter
     */
    void addAttempt(UUID id, Attempt attempt);

    /**
     * Resolves a parked letter as replayed or discarded, with a note.
     *
     * @throws DeadLetterNotFoundException if there is no such letter
     * @throws IllegalStateException       if it is not parked (already replayed or discarded)
     */
    DeadLetter resolve(UUID id, DeadLetterState state, String note, Instant at);

    /** Deletes resolved letters resolved before {@code before}; parked letters are kept. Returns how many went. */
    int pruneResolved(Instant before);
}
