// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry.internal;

import dev.factum.retry.DeadLetterState;

import java.util.UUID;

/**
 * The one wording every dead-letter store uses when a letter's state forbids a change (a replay request or a
 * resolution), naming the state the letter is in.
 */
public final class DeadLetterRefusals {
    private DeadLetterRefusals() {
    }

    /** {@code dead letter <id> is already replayed} and the like. */
    public static IllegalStateException inState(UUID id, DeadLetterState current) {
        return new IllegalStateException(switch (current) {
            case PARKED -> "dead letter " + id + " is parked";
            case REPLAY_REQUESTED -> "a replay of dead letter " + id + " is already requested";
            case REPLAYED -> "dead letter " + id + " is already replayed";
            case DISCARDED -> "dead letter " + id + " is already discarded";
        });
    }
}
