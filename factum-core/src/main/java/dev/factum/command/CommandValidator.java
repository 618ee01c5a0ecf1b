// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import java.util.List;

/**
 * Checks a command before its handler runs, for what can be checked without state (required fields, ranges, formats);
 * business rules that need the aggregate's state belong in the handler. Used through
 * {@link CommandInterceptors#validation(CommandValidator)}: a non-empty answer refuses the command with an
 * {@link InvalidCommandException} naming every problem, and the handler is not called.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface CommandValidator {
    /** The problems of this command, one sentence each; empty when it is valid. */
    List<String> problems(Command<?> command);
}
