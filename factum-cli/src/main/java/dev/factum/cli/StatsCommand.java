// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.store.EventStore;
import picocli.CommandLine.Command;

/** {@code factum stats}: counts for operators. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class,
        description = "Prints store statistics: events, streams, head position, events per category, the store.")
final class StatsCommand extends StoreCommand {

    @Override
    int run(EventStore store, Output output) {
        output.statistics(store.statistics());
        return FactumCli.OK;
    }
}
