// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.retry.DeadLetters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.UUID;

/** {@code factum dead-letters discard ID --reason …}: puts a letter aside for good, keeping it with the reason. */
@Command(name = "discard", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class,
        description = "Discards a parked dead letter (or one waiting for its replay) for good. It is kept, with the "
                + "reason, as DISCARDED.")
final class DeadLetterDiscardCommand extends DeadLetterCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's id.")
    UUID id;

    @Option(names = "--reason", paramLabel = "TEXT", required = true,
            description = "Why it is discarded, kept with the letter (required).")
    String reason;

    @Override
    void validate() {
        if (reason.isBlank()) throw usage("--reason is blank: say why the letter is discarded");
    }

    @Override
    int run(DeadLetters deadLetters, DeadLetterOutput output) {
        output.discarded(deadLetters.discard(id, reason));
        return FactumCli.OK;
    }
}
