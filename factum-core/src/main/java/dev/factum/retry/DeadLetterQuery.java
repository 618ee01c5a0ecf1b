// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A filter over dead letters, newest first: by consumer, message type, state, and age (dead before an instant).
 *
 * @param consumer   only this consumer's letters
 * @param type       only messages of this type
 * @param state      only letters in this state
 * @param deadBefore only letters that died before this instant (older ones)
 * @param limit      at most this many (1–1,000)
 * @since 0.1
 */
public record DeadLetterQuery(Optional<String> consumer, Optional<String> type, Optional<DeadLetterState> state,
                              Optional<Instant> deadBefore, int limit) {

    public DeadLetterQuery {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(deadBefore, "deadBefore");
        if (limit < 1 || limit > 1_000) throw new IllegalArgumentException("limit must be 1-1000, was " + limit);
    }

    /** Every letter, newest first, at most 100. */
    public static DeadLetterQuery all() {
        return new DeadLetterQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 100);
    }

    public DeadLetterQuery consumer(String name) {
        return new DeadLetterQuery(Optional.of(name), type, state, deadBefore, limit);
    }

    public DeadLetterQuery type(String name) {
        return new DeadLetterQuery(consumer, Optional.of(name), state, deadBefore, limit);
    }

    public DeadLetterQuery state(DeadLetterState value) {
        return new DeadLetterQuery(consumer, type, Optional.of(value), deadBefore, limit);
    }

    public DeadLetterQuery deadBefore(Instant instant) {
        return new DeadLetterQuery(consumer, type, state, Optional.of(instant), limit);
    }

    public DeadLetterQuery limit(int count) {
        return new DeadLetterQuery(consumer, type, state, deadBefore, count);
    }

    /** Whether {@code letter} passes this filter (the limit aside). */
    public boolean matches(DeadLetter letter) {
        return consumer.map(letter.consumer()::equals).orElse(true)
                && type.map(t -> letter.messageType().map(t::equals).orElse(false)).orElse(true)
                && state.map(letter.state()::equals).orElse(true)
                && deadBefore.map(letter.deadAt()::isBefore).orElse(true);
    }
}
