// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.subscription.Subscription;
import dev.factum.subscription.SubscriptionStatus;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code factum tail}: follows the global order live with a {@link Subscription} whose checkpoint lives in memory,
 * printing each event as it arrives, until Ctrl-C (a shutdown hook stops the subscription and closes the store) or
 * until the thread running it is interrupted.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class, sortOptions = false,
        description = {"Follows the store live: prints the events after a position, then each new event as it is committed, until Ctrl-C.",
                "A note on standard error says where it starts."},
        footer = {"%nExamples:",
                "  factum tail                      # everything, then new events",
                "  factum tail --from-end --category Order",
                "  factum tail --after 100 --json"})
final class TailCommand extends StoreCommand {
    private static final String SUBSCRIPTION = "factum-tail";

    @ArgGroup(exclusive = true)
    Start start = new Start();

    @Option(names = "--category", paramLabel = "CATEGORY", description = "Only events of streams of this category, e.g. Order.")
    String category;

    static final class Start {
        @Option(names = "--after", paramLabel = "POSITION", description = "Start after this position (default: 0, from the first event).")
        long after;

        @Option(names = "--from-end", description = "Start at the current head: print only events committed from now on.")
        boolean fromEnd;
    }

    @Override
    void validate() {
        if (start.after < 0) throw usage("--after must be a position >= 0, was " + start.after);
        if (category != null) {
            try {
                ReadAllOptions.fromStart().category(category);
            } catch (IllegalArgumentException e) {
                throw usage("--category: " + e.getMessage());
            }
        }
    }

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean interrupted;

    /** Like every command, but a shutdown hook asks it to stop and waits until the store is closed. */
    @Override
    public Integer call() {
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                stopped.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "factum-tail-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return super.call();
        } finally {
            stopped.countDown();
            if (interrupted) Thread.currentThread().interrupt();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook itself is running (Ctrl-C): nothing to remove
            }
        }
    }

    @Override
    int run(EventStore store, Output output) {
        Position from = start.fromEnd ? store.headPosition() : Position.of(start.after);
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        checkpoints.save(new Checkpoint(SUBSCRIPTION, from));
        Subscription.Builder builder = Subscription.builder(SUBSCRIPTION, store, checkpoints).handler(batch -> {
            batch.events().forEach(output::event);
            output.flush();
        });
        if (category != null) builder.category(category);
        PrintWriter err = spec.commandLine().getErr();
        try (Subscription subscription = builder.build()) {
            subscription.start();
            err.println("following " + cli.storeForDisplay() + " after position " + from
                    + (category == null ? "" : " (category " + category + ")") + "; Ctrl-C to stop");
            err.flush();
            while (!stopRequested.await(200, TimeUnit.MILLISECONDS)) {
                SubscriptionStatus status = subscription.status();
                if (status.state() == SubscriptionStatus.State.FAILED) {
                    throw new CliFailure("tail stopped at position " + status.checkpoint() + ": "
                            + status.error().orElse("unknown error"));
                }
            }
        } catch (InterruptedException e) {
            // asked to stop; the flag is set again once the subscription and the store are closed
            interrupted = true;
        }
        return FactumCli.OK;
    }
}
