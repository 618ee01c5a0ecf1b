// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.FactumException;

import java.util.List;

/**
 * A {@link CommandValidator} refused a command; its handler was not called and nothing happened, so the command may
 * be corrected and sent again (with the same command id: a refused command is not recorded as done).
 *
 * @since 0.1
 */
public final class InvalidCommandException extends FactumException {
    private final String commandType;
    private final List<String> problems;

    public InvalidCommandException(String commandType, List<String> problems) {
        super(commandType + " is invalid: " + String.join("; ", problems));
        this.commandType = commandType;
        this.problems = List.copyOf(problems);
    }

    /** The refused command's type name (its simple class name). */
    public String commandType() {
        return commandType;
    }

    /** What is wrong with it, one problem an entry, never empty. */
    public List<String> problems() {
        return problems;
    }
}
