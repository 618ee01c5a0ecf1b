// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.retry.DeadLetters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.UUID;

/** {@code factum dead-letters show ID}: one letter in full. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class,
        description = "Shows one dead letter in full: consumer, state, reason, message headers and body, every attempt "
                + "with its time, the stack summary, and how it was resolved.")
final class DeadLetterShowCommand extends DeadLetterCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's id (a UUID, as 'list' prints it).")
    UUID id;

    @Override
    int run(DeadLetters deadLetters, DeadLetterOutput output) {
        output.letter(deadLetters.inspect(id));
        return FactumCli.OK;
    }
}
