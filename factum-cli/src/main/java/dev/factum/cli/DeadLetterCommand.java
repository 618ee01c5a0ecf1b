// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.retry.DeadLetters;
import dev.factum.store.EventStore;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A {@code dead-letters} subcommand: opens the store, works on its dead letters through {@link DeadLetters} and
 * closes the store again. A change the letter's state forbids (discarding a replayed letter) is a failure (exit 1)
 * named in one line.
 */
abstract class DeadLetterCommand implements Callable<Integer> {

    @ParentCommand
    DeadLettersCommand group;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        try (EventStore store = group.cli.openStore(spec.commandLine())) {
            DeadLetters deadLetters = new DeadLetters(DeadLettersCommand.deadLetterStore(store));
            DeadLetterOutput output = new DeadLetterOutput(spec.commandLine().getOut(), group.cli.json());
            try {
                return run(deadLetters, output);
            } catch (IllegalStateException e) {
                throw new CliFailure(e.getMessage(), e);
            } finally {
                output.flush();
            }
        }
    }

    /** Checks option values before the store is opened; throws {@link #usage} for a malformed one. */
    void validate() {
    }

    abstract int run(DeadLetters deadLetters, DeadLetterOutput output);

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** A note for the person at the terminal, on standard error (standard output stays the result). */
    void note(String line) {
        spec.commandLine().getErr().println(line);
        spec.commandLine().getErr().flush();
    }
}
