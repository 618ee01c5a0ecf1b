// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.postgres.PostgresEventStore;
import dev.factum.retry.DeadLetterStore;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code factum dead-letters}: the operator's dead-letter commands — list, show, replay, discard — on the store's
 * dead-letter table. A replay is requested here and done by the process that runs the consumer.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class,
        description = {"Lists, shows, replays and discards dead letters: messages a consumer could not handle.",
                "The command line runs no consumer: 'replay' asks the process that runs the letter's consumer to replay "
                        + "it (a DeadLetters replayer there does it) and can wait for the outcome."},
        subcommands = {DeadLetterListCommand.class, DeadLetterShowCommand.class, DeadLetterReplayCommand.class,
                DeadLetterDiscardCommand.class},
        footer = {"%nExamples:",
                "  factum dead-letters list --consumer billing --older-than 1h",
                "  factum dead-letters show 0190f3c2-8a4e-7b1d-9c3f-2a6b8d0e4f71",
                "  factum dead-letters replay 0190f3c2-8a4e-7b1d-9c3f-2a6b8d0e4f71 --wait 30s",
                "  factum dead-letters discard 0190f3c2-8a4e-7b1d-9c3f-2a6b8d0e4f71 --reason \"duplicate of a manual fix\""})
final class DeadLettersCommand implements Runnable {

    @ParentCommand
    FactumCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: choose one of list, show, replay, discard");
    }

    /** The dead-letter store kept with {@code store}. */
    static DeadLetterStore deadLetterStore(EventStore store) {
        return switch (store) {
            case SqliteEventStore sqlite -> sqlite.deadLetterStore();
            case PostgresEventStore postgres -> postgres.deadLetterStore();
            default -> throw new CliFailure("the store " + store.getClass().getSimpleName() + " keeps no dead letters");
        };
    }
}
