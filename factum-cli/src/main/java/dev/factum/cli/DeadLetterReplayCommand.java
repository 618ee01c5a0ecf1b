// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.UUID;

/**
 * {@code factum dead-letters replay ID [--wait AGE]}: requests the replay of a parked letter. The process that runs
 * the letter's consumer replays it ({@link DeadLetters#replayRequested()}); with {@code --wait} this command polls the
 * letter until it is replayed (exit 0), parked again by a failed replay (exit 1, with the consumer's error), or the
 * time is up (exit 1; the request stays).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class, sortOptions = false,
        description = {"Requests the replay of a parked dead letter: the process running its consumer hands the message "
                + "to the consumer once (with a DeadLetters replayer started there).",
                "With --wait, waits for the outcome: exit 0 once replayed; exit 1 if the consumer failed again (the "
                        + "letter is parked again, its error printed) or nothing happened in time."},
        footer = {"%nExamples:",
                "  factum dead-letters replay 0190f3c2-8a4e-7b1d-9c3f-2a6b8d0e4f71",
                "  factum dead-letters replay 0190f3c2-8a4e-7b1d-9c3f-2a6b8d0e4f71 --wait 30s"})
final class DeadLetterReplayCommand extends DeadLetterCommand {
    /** How often {@code --wait} reads the letter. */
    static final Duration POLL = Duration.ofMillis(100);

    @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's id.")
    UUID id;

    @Option(names = "--wait", paramLabel = "AGE",
            description = "Wait up to this long for the replay: 30s, 2m, or ISO-8601 (PT30S).")
    Duration wait;

    @Override
    void validate() {
        if (wait != null && (wait.isNegative() || wait.isZero())) {
            throw usage("--wait must be a positive time, was " + wait);
        }
    }

    @Override
    int run(DeadLetters deadLetters, DeadLetterOutput output) {
        DeadLetter requested = request(deadLetters);
        if (wait == null) {
            output.replayRequested(requested);
            return FactumCli.OK;
        }
        note("waiting up to " + DeadLetterOutput.duration(wait) + " for consumer '" + requested.consumer()
                + "' to replay dead letter " + id);
        DeadLetter outcome = awaitOutcome(deadLetters, requested);
        output.replayed(outcome);
        return FactumCli.OK;
    }

    /** The letter waiting for its replay: requested now, or already before (said on standard error). */
    private DeadLetter request(DeadLetters deadLetters) {
        try {
            return deadLetters.requestReplay(id);
        } catch (IllegalStateException refused) {
            DeadLetter letter = deadLetters.inspect(id);
            if (letter.state() != DeadLetterState.REPLAY_REQUESTED) throw refused;
            note("a replay of dead letter " + id + " was already requested at "
                    + letter.replayRequestedAt().map(Object::toString).orElse("an unknown time"));
            return letter;
        }
    }

    /**
     * Reads the letter until it is replayed (returned) or parked again, discarded or still waiting when the time is up
     * ({@link CliFailure}).
     */
    private DeadLetter awaitOutcome(DeadLetters deadLetters, DeadLetter requested) {
        int attemptsBefore = requested.attempts().size();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            DeadLetter letter = deadLetters.inspect(id);
            switch (letter.state()) {
                case REPLAYED -> {
                    return letter;
                }
                case DISCARDED -> throw new CliFailure("dead letter " + id + " was discarded while waiting for its replay: "
                        + letter.resolution().orElse("no reason given"));
                case PARKED -> {
                    String error = letter.attempts().size() > attemptsBefore
                            ? letter.attempts().getLast().error() : letter.reason();
                    throw new CliFailure("replay of dead letter " + id + " failed in consumer '" + letter.consumer()
                            + "': " + error + "; the letter is parked again");
                }
                case REPLAY_REQUESTED -> {
                    // still waiting
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new CliFailure("dead letter " + id + " was not replayed within " + DeadLetterOutput.duration(wait)
                        + ": no process running consumer '" + letter.consumer() + "' replays requested letters "
                        + "(DeadLetters.startReplayer), or it is busy; the request stays (state REPLAY_REQUESTED)");
            }
            try {
                Thread.sleep(Math.min(POLL.toNanos(), left) / 1_000_000 + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure("interrupted while waiting for the replay of dead letter " + id
                        + "; the request stays (state REPLAY_REQUESTED)", e);
            }
        }
    }
}
