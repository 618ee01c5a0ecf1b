// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

/**
 * Handles one type of command and answers with its result. The context is passed explicitly: use
 * {@link CommandContext#eventMetadata()} for the events the command produces and {@link CommandContext#nextCommand()}
 * for commands sent from here on another thread ({@link CommandBus#send(Command)} on the handler's own thread does it by
 * itself). Exceptions propagate to the sender unchanged; a command that fails is not recorded as done.
 *
 * @param <C> the command type
 * @param <R> the result type; a handler never returns {@code null}
 * @since 0.1
 */
@FunctionalInterface
public interface CommandHandler<C extends Command<R>, R> {
    R handle(C command, CommandContext context);
}
