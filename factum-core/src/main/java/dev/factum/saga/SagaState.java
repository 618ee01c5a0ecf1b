// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import dev.factum.retry.Attempt;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A saga as its stream says it is now, rebuilt by replaying its {@link SagaEvent}s.
 *
 * @param id            the saga id (the stream's id)
 * @param status        where it is
 * @param data          its data after the last successful step
 * @param version       its stream's version (the guard of its next transition)
 * @param stepsDone     how many steps succeeded
 * @param toCompensate  the steps to undo, in run order: the succeeded steps that have a compensation and are not compensated
 *                      yet, and a step that failed for good (its attempts may have had an effect) if it has one
 * @param open          the attempt under way, if any
 * @param failures      the failed attempts of the current action or compensation, oldest first
 * @param retryAt       when the next attempt is due after a failure
 * @param failure       why it is compensating or compensated (an error or a participant's refusal)
 * @param deadLetter    while parked: its dead letter
 * @since 0.1
 */
public record SagaState<D>(String id, SagaStatus status, D data, long version, int stepsDone, List<String> toCompensate,
                           Optional<OpenAttempt> open, List<Attempt> failures, Optional<Instant> retryAt,
                           Optional<String> failure, Optional<UUID> deadLetter) {

    public SagaState {
        toCompensate = List.copyOf(toCompensate);
        failures = List.copyOf(failures);
    }

    /**
     * An attempt that started and has not answered yet.
     *
     * @param compensation whether it is a compensation (else the step's action)
     */
    public record OpenAttempt(String step, int attempt, Instant deadline, boolean compensation) {}
}
