// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import java.util.Optional;
import java.util.UUID;

/**
 * Remembers the commands that were done, by command id, for {@link CommandInterceptors#idempotency(CommandResultStore)}.
 * Only successful commands are saved: a command whose handler failed can be sent again with the same id. Must be
 * safe for concurrent use. {@link InMemoryCommandResultStore} is the bounded in-process implementation; a durable one
 * (a table next to the events) must be able to store the result types its commands return.
 *
 * @since 0.1
 */
public interface CommandResultStore {

    /** The command done under this id, if it is still remembered. */
    Optional<CompletedCommand> find(UUID commandId);

    /** Records a command as done; a second save under the same id replaces nothing (the first result stands). */
    void save(CompletedCommand completed);
}
