// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.event.RecordedEvent;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code factum read-all}: the global order from a position. */
@Command(name = "read-all", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class, sortOptions = false,
        description = "Prints the events of the whole store in position order (the global order).",
        footer = {"%nExamples:",
                "  factum read-all",
                "  factum read-all --after 10 --limit 5",
                "  factum read-all --category Order --json"})
final class ReadAllCommand extends StoreCommand {

    @Option(names = "--after", paramLabel = "POSITION", defaultValue = "0",
            description = "Print events after this position (default: 0, from the first event).")
    long after;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N events (default: all).")
    Integer limit;

    @Option(names = "--category", paramLabel = "CATEGORY", description = "Only events of streams of this category, e.g. Order.")
    String category;

    @Override
    void validate() {
        if (after < 0) throw usage("--after must be a position >= 0, was " + after);
        if (limit != null && limit < 1) throw usage("--limit must be >= 1, was " + limit);
        if (category != null) {
            try {
                ReadAllOptions.fromStart().category(category);
            } catch (IllegalArgumentException e) {
                throw usage("--category: " + e.getMessage());
            }
        }
    }

    @Override
    int run(EventStore store, Output output) {
        long remaining = limit == null ? Long.MAX_VALUE : limit;
        Position position = Position.of(after);
        while (remaining > 0) {
            int page = (int) Math.min(PAGE, remaining);
            ReadAllOptions options = ReadAllOptions.after(position).limit(page);
            if (category != null) options = options.category(category);
            List<RecordedEvent> events = store.readAll(options);
            events.forEach(output::event);
            remaining -= events.size();
            if (events.isEmpty()) break;
            position = events.get(events.size() - 1).position();
        }
        return FactumCli.OK;
    }
}
