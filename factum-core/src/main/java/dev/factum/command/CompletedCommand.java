// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import java.util.Objects;
import java.util.UUID;

/**
 * A command recorded as done by {@link CommandInterceptors#idempotency(CommandResultStore)}: its id, its type name
 * (so that a reused id on a different command is refused), and the result its handler returned.
 *
 * @param commandId   the command's id
 * @param commandType the command's type name (its fully qualified class name)
 * @param result      what the handler returned, answered again to every resend
 * @since 0.1
 */
public record CompletedCommand(UUID commandId, String commandType, Object result) {
    public CompletedCommand {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(commandType, "commandType");
        Objects.requireNonNull(result, "result");
    }
}
