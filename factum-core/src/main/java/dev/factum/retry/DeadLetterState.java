// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

/**
 * Where a dead letter is in its life:
 * <ul>
 *   <li>{@code PARKED} — waiting for an operator;</li>
 *   <li>{@code REPLAY_REQUESTED} — an operator asked for a replay from a process where the consumer does not run
 *       (the {@code factum} command line); a process that runs it replays the letter
 *       ({@link DeadLetters#replayRequested()}). A failed replay parks it again, with the attempt added;</li>
 *   <li>{@code REPLAYED} — its consumer handled it;</li>
 *   <li>{@code DISCARDED} — put aside for good, with a reason.</li>
 * </ul>
 * A parked letter, or one waiting for its requested replay, can be replayed or discarded; replayed and discarded
 * letters are resolved and stay so.
 *
 * @since 0.1
 */
public enum DeadLetterState {
    PARKED, REPLAY_REQUESTED, REPLAYED, DISCARDED;

    /** Whether the letter is done with: {@code REPLAYED} or {@code DISCARDED}. */
    public boolean resolved() {
        return this == REPLAYED || this == DISCARDED;
    }
}
