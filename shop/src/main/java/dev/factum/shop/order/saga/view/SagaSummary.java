// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga.view;

import dev.factum.saga.SagaStatus;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One row of the saga status read model: a saga as its stream's events say, folded without its data.
 *
 * @param sagaId    the saga id (its stream's id)
 * @param saga      the saga's name (its streams' category)
 * @param status    where it is, by the last status-changing event: {@code SagaStarted} → RUNNING,
 *                  {@code Compensating} and {@code SagaRetried} → COMPENSATING, {@code SagaCompleted} → COMPLETED,
 *                  {@code SagaCompensated} → COMPENSATED, {@code SagaParked} → NEEDS_ATTENTION,
 *                  {@code SagaResolved} → RESOLVED
 * @param step      the step the last step or compensation event named (the current one while in flight, the last
 *                  one after); empty before the first step started
 * @param stepsDone how many steps succeeded
 * @param failure   why it compensates or compensated: a participant's refusal or the error that failed a step
 * @param lastError the error of the last failed attempt of the current action or compensation (cleared when one
 *                  succeeds, when compensation begins and on an operator's retry)
 * @param deadLetter while parked: its dead letter
 * @param startedAt when the saga started (the engine's clock)
 * @param updatedAt when its last transition was recorded (the engine's clock)
 * @param version   the saga stream's version this row shows
 * @since 0.1
 */
public record SagaSummary(String sagaId, String saga, SagaStatus status, Optional<String> step, int stepsDone,
                          Optional<String> failure, Optional<String> lastError, Optional<UUID> deadLetter,
                          Instant startedAt, Instant updatedAt, long version) {
    public SagaSummary {
        Objects.requireNonNull(sagaId, "sagaId");
        Objects.requireNonNull(saga, "saga");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(deadLetter, "deadLetter");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
