// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import java.time.Instant;
import java.util.Objects;

/**
 * What an action or compensation knows about its call. Steps run at least once: an attempt may run again after a
 * timeout, a failure or a crash, always with the same {@link #idempotencyKey()}, so a participant that records the
 * keys it has handled can do its work exactly once.
 *
 * @param sagaId         the saga's id
 * @param step           the step's name
 * @param attempt        1 for the first try of this action (or compensation), then 2, 3…
 * @param idempotencyKey {@code <sagaId>:<step>} for the action, {@code <sagaId>:<step>:compensate} for the
 *                       compensation; the same on every attempt
 * @param deadline       when the engine stops waiting for this attempt and counts it as timed out
 * @since 0.1
 */
public record StepContext(String sagaId, String step, int attempt, String idempotencyKey, Instant deadline) {
    public StepContext {
        Objects.requireNonNull(sagaId, "sagaId");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(deadline, "deadline");
        if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
}
