// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.Failures;
import dev.factum.store.StreamId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The dead letter of a saga whose compensation kept failing. */
final class SagaParking {
    private SagaParking() {}

    /**
     * The letter for the last attempt of {@code step}'s compensation. Its id is derived from the saga's stream and
     * the version of the attempt's {@code CompensationStarted} (its {@code CompensationAwaiting} for a remote
     * compensation), so engines that park the same attempt add one letter.
     */
    static <D> DeadLetter letter(SagaDefinition<D> definition, String consumer, SagaState<D> state, String step,
                                 int attempt, long openVersion, String reason, Throwable error, Instant now) {
        StreamId stream = StreamId.of(definition.name(), state.id());
        UUID id = UUID.nameUUIDFromBytes((stream + ":parked:" + openVersion).getBytes(StandardCharsets.UTF_8));
        List<Attempt> attempts = new ArrayList<>(state.failures());
        attempts.add(new Attempt(attempt, now, reason));
        Map<String, String> headers = Map.of("saga", definition.name(), "sagaId", state.id(), "step", step,
                "stream", stream.toString());
        String body = dev.factum.event.codec.EventCodec.defaultMapper().valueToTree(state.data()).toString();
        return new DeadLetter(id, consumer, headers, body, "compensation of step '" + step + "' failed: " + reason,
                error == null ? "" : Failures.stackSummary(error), attempts, now, DeadLetterState.PARKED,
                Optional.empty(), Optional.empty());
    }
}
