// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.event.RecordedEvent;
import dev.factum.store.EventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code factum read STREAM}: one stream's events in version order. */
@Command(name = "read", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class, sortOptions = false,
        description = "Prints one stream's events in version order (oldest first, or newest first with --backward).",
        footer = {"%nExamples:",
                "  factum read Order-1",
                "  factum read Order-1 --backward --limit 1     # the last event",
                "  factum read Order-1 --from 2 --json"})
final class ReadCommand extends StoreCommand {

    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream name 'Category-id', e.g. Order-1.")
    StreamId stream;

    @Option(names = "--from", paramLabel = "VERSION",
            description = "First version to print (default: 1, or the last version with --backward).")
    Long from;

    @Option(names = "--backward", description = "Newest first.")
    boolean backward;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N events (default: all).")
    Integer limit;

    @Override
    void validate() {
        if (from != null && from < 1) throw usage("--from must be a version >= 1, was " + from);
        if (limit != null && limit < 1) throw usage("--limit must be >= 1, was " + limit);
    }

    @Override
    int run(EventStore store, Output output) {
        long remaining = limit == null ? Long.MAX_VALUE : limit;
        long version = from != null ? from : backward ? ReadStreamOptions.END : 1;
        ReadStreamOptions options = backward ? ReadStreamOptions.backward() : ReadStreamOptions.forward();
        while (remaining > 0 && version >= 1) {
            int page = (int) Math.min(PAGE, remaining);
            List<RecordedEvent> events = store.readStream(stream, options.fromVersion(version).limit(page));
            events.forEach(output::event);
            remaining -= events.size();
            if (events.size() < page) break;
            long last = events.get(events.size() - 1).version();
            version = backward ? last - 1 : last + 1;
        }
        return FactumCli.OK;
    }
}
