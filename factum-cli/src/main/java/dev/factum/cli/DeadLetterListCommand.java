// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code factum dead-letters list}: the letters passing the filters, newest first, one line each. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class, sortOptions = false,
        description = "Lists dead letters, newest first: id, consumer, message type, state, attempts, dead at, reason.",
        footer = {"%nExamples:",
                "  factum dead-letters list",
                "  factum dead-letters list --consumer billing --state parked",
                "  factum dead-letters list --type Deposited --older-than 30m --json"})
final class DeadLetterListCommand extends DeadLetterCommand {

    @Option(names = "--consumer", paramLabel = "NAME", description = "Only letters of this consumer.")
    String consumer;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only messages of this type, e.g. Deposited.")
    String type;

    @Option(names = "--state", paramLabel = "STATE",
            description = "Only letters in this state: ${COMPLETION-CANDIDATES} (any case).")
    DeadLetterState state;

    @Option(names = "--older-than", paramLabel = "AGE",
            description = "Only letters that died longer ago than this: 30s, 30m, 1h, 2d, 1h30m or ISO-8601 (PT1H).")
    Duration olderThan;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "Print at most N letters, 1-1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void validate() {
        if (limit < 1 || limit > 1_000) throw usage("--limit must be 1-1000, was " + limit);
        if (olderThan != null && (olderThan.isNegative() || olderThan.isZero())) {
            throw usage("--older-than must be a positive age, was " + olderThan);
        }
        if (consumer != null && consumer.isBlank()) throw usage("--consumer is blank");
        if (type != null && type.isBlank()) throw usage("--type is blank");
    }

    @Override
    int run(DeadLetters deadLetters, DeadLetterOutput output) {
        DeadLetterQuery query = DeadLetterQuery.all().limit(limit);
        if (consumer != null) query = query.consumer(consumer);
        if (type != null) query = query.type(type);
        if (state != null) query = query.state(state);
        if (olderThan != null) query = query.deadBefore(Instant.now().minus(olderThan));
        List<DeadLetter> letters = deadLetters.list(query);
        output.table(letters);
        return FactumCli.OK;
    }
}
