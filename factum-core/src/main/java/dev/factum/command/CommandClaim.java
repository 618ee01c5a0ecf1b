// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@link CommandResultStore#claim} answers for a command id: the caller may run the command
 * ({@link Claimed}), it was done already ({@link Done}), or another send holds a live claim on it ({@link Running}).
 * A claim is how sends of one id in several processes agree that only one of them runs the handler.
 *
 * @since 0.1
 */
public sealed interface CommandClaim {

    /**
     * The caller holds the claim: run the handler, then {@link CommandResultStore#save} its result, or
     * {@link CommandResultStore#release} the claim if it failed.
     *
     * @param commandId the command's id
     * @param claimId   this claim's own id, so that releasing it never removes a later claim that took it over
     */
    record Claimed(UUID commandId, UUID claimId) implements CommandClaim {
        public Claimed {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(claimId, "claimId");
        }
    }

    /**
     * The command was done and is still remembered: answer its result, do not run it again.
     *
     * @param completed the recorded command and its result
     */
    record Done(CompletedCommand completed) implements CommandClaim {
        public Done {
            Objects.requireNonNull(completed, "completed");
        }
    }

    /**
     * Another send holds a claim that has not expired: look again later (it will be done, released, or abandoned).
     *
     * @param commandId   the command's id
     * @param commandType type name of the command that holds the claim
     * @param claimedAt   when that claim was taken
     */
    record Running(UUID commandId, String commandType, Instant claimedAt) implements CommandClaim {
        public Running {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(commandType, "commandType");
            Objects.requireNonNull(claimedAt, "claimedAt");
        }
    }
}
