// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The transitions of a saga, stored in its stream ({@code <SagaName>-<sagaId>}) as events of these types (the
 * simple class name is the event type). Read in order they are the saga's timeline; replayed they are its state.
 * Fields that may be absent ({@code retryAt}) are {@code null} in the stored JSON. Saga data is kept as JSON.
 *
 * @since 0.1
 */
public sealed interface SagaEvent {

    /** When the transition was recorded, by the engine's clock. */
    Instant at();

    /** The saga began with {@code data}. */
    record SagaStarted(String saga, JsonNode data, Instant at) implements SagaEvent {}

    /** An attempt of a step's action began; the engine waits for it until {@code deadline}. */
    record StepStarted(String step, int attempt, Instant deadline, Instant at) implements SagaEvent {}

    /**
     * The action sent its request to a remote participant ({@link SagaReply#awaiting()}); the attempt stays open
     * until the participant's reply is delivered or {@code StepStarted}'s deadline passes.
     */
    record StepAwaiting(String step, int attempt, Instant at) implements SagaEvent {}

    /** The action answered done; {@code data} is the saga's data from now on. */
    record StepSucceeded(String step, int attempt, JsonNode data, Instant at) implements SagaEvent {}

    /** The attempt threw; it is tried again at {@code retryAt}, or — when {@code null} — the step failed for good. */
    record StepFailed(String step, int attempt, String error, Instant retryAt, Instant at) implements SagaEvent {}

    /** The attempt did not answer by its deadline; retried at {@code retryAt}, or — when {@code null} — failed for good. */
    record StepTimedOut(String step, int attempt, Instant retryAt, Instant at) implements SagaEvent {}

    /** The participant said no (a business refusal); never retried. */
    record StepRefused(String step, int attempt, String reason, Instant at) implements SagaEvent {}

    /** Compensation of the completed steps begins, because of {@code reason}. */
    record Compensating(String reason, Instant at) implements SagaEvent {}

    /** An attempt of a step's compensation began; the engine waits for it until {@code deadline}. */
    record CompensationStarted(String step, int attempt, Instant deadline, Instant at) implements SagaEvent {}

    /** A remote compensation sent its request; the attempt stays open until the reply or the deadline. */
    record CompensationAwaiting(String step, int attempt, Instant at) implements SagaEvent {}

    /** The step is undone. */
    record CompensationSucceeded(String step, int attempt, Instant at) implements SagaEvent {}

    /** The compensation threw or timed out; tried again at {@code retryAt}, or — when {@code null} — the saga parks. */
    record CompensationFailed(String step, int attempt, String error, Instant retryAt, Instant at) implements SagaEvent {}

    /** Every step succeeded. */
    record SagaCompleted(Instant at) implements SagaEvent {}

    /** Every completed step was compensated. */
    record SagaCompensated(Instant at) implements SagaEvent {}

    /** A compensation kept failing: the saga needs an operator; {@code deadLetter} is its dead letter's id. */
    record SagaParked(String step, String error, UUID deadLetter, Instant at) implements SagaEvent {}

    /** An operator asked the engine to try the parked compensation again. */
    record SagaRetried(String note, Instant at) implements SagaEvent {}

    /** An operator resolved the parked saga by hand; the engine leaves it alone from now on. */
    record SagaResolved(String note, Instant at) implements SagaEvent {}

    /** Event type name → class, for decoding a saga stream. */
    Map<String, Class<? extends SagaEvent>> TYPES = Map.ofEntries(
            Map.entry("SagaStarted", SagaStarted.class), Map.entry("StepStarted", StepStarted.class),
            Map.entry("StepAwaiting", StepAwaiting.class),
            Map.entry("StepSucceeded", StepSucceeded.class), Map.entry("StepFailed", StepFailed.class),
            Map.entry("StepTimedOut", StepTimedOut.class), Map.entry("StepRefused", StepRefused.class),
            Map.entry("Compensating", Compensating.class), Map.entry("CompensationStarted", CompensationStarted.class),
            Map.entry("CompensationAwaiting", CompensationAwaiting.class),
            Map.entry("CompensationSucceeded", CompensationSucceeded.class),
            Map.entry("CompensationFailed", CompensationFailed.class), Map.entry("SagaCompleted", SagaCompleted.class),
            Map.entry("SagaCompensated", SagaCompensated.class), Map.entry("SagaParked", SagaParked.class),
            Map.entry("SagaRetried", SagaRetried.class), Map.entry("SagaResolved", SagaResolved.class));
}
