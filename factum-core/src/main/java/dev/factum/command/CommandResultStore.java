// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import java.util.Optional;
import java.util.UUID;

/**
 * Remembers the commands that were done, by command id, for {@link CommandInterceptors#idempotency(CommandResultStore)}.
 * Must be safe for concurrent use, and — for a store shared by several processes — atomic across them.
 *
 * <p>The protocol, per send: {@link #claim} the id; if {@link CommandClaim.Claimed}, run the handler and {@link #save}
 * its result, or {@link #release} the claim when the handler failed (only successful commands are remembered, so a
 * failed one can be sent again with the same id). A claim that is neither saved nor released — its process died
 * between the two — counts as abandoned once it is older than {@link CommandResultOptions#claimTimeout()}, and the
 * next claim of the id takes it over: the handler then runs again, so its first run's effect, if it had one before the
 * crash, may happen twice. Done commands are remembered for {@link CommandResultOptions#retention()} after their
 * result was saved, then forgotten (a resend after that runs again) and pruned.
 *
 * <p>{@link InMemoryCommandResultStore} is the in-process implementation, lost on restart; the SQLite and PostgreSQL
 * modules have durable ones in the event store's database. A durable store keeps results as JSON with their class
 * name, so a command's result must read back from its JSON into its own class (a record is the safe choice).
 *
 * @since 0.1
 */
public interface CommandResultStore {

    /** The command done under this id, if it is still remembered (a command that is only claimed is not done). */
    Optional<CompletedCommand> find(UUID commandId);

    /**
     * Takes the claim on {@code commandId} for a command of type {@code commandType}, unless the id is done
     * ({@link CommandClaim.Done}) or claimed by another send whose claim has not expired ({@link CommandClaim.Running}).
     * A done command that is no longer remembered, and an abandoned claim, are taken over. Atomic: of concurrent
     * claims of one id, one at most is {@link CommandClaim.Claimed}.
     */
    CommandClaim claim(UUID commandId, String commandType);

    /**
     * Records a command as done with its result; a second save under the same id replaces nothing (the first result
     * stands). Completes the id's claim, whoever holds it.
     *
     * @throws dev.factum.FactumException if the store cannot keep this result (a durable store: it does not read back
     *                                    from JSON into its class); nothing is recorded
     */
    void save(CompletedCommand completed);

    /** Gives a claim back after its handler failed, so that the id can be sent again; no effect if it was taken over. */
    void release(CommandClaim.Claimed claim);

    /**
     * Deletes the commands whose result was saved longer ago than the retention, and abandoned claims as old. Stores
     * also prune by themselves, at most once a minute, when a claim is taken.
     *
     * @return how many commands were deleted
     */
    int prune();
}
