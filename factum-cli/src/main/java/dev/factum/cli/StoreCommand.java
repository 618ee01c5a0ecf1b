// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.store.EventStore;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A subcommand that opens the store, does its work and closes the store again. */
abstract class StoreCommand implements Callable<Integer> {
    /** Events read per query when a command walks a stream or the global order. */
    static final int PAGE = 1000;

    @ParentCommand
    FactumCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        validate();
        try (EventStore store = cli.openStore(spec.commandLine())) {
            Output output = new Output(spec.commandLine().getOut(), cli.json());
            try {
                return run(store, output);
            } finally {
                output.flush();
            }
        }
    }

    /** Checks option values before the store is opened; throws {@link #usage} for a malformed one. */
    void validate() {
    }

    abstract int run(EventStore store, Output output);

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
