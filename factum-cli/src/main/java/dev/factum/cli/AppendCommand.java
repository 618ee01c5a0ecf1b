// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.event.EventIds;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.codec.MetadataCodec;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code factum append STREAM TYPE PAYLOAD}: appends one event and prints its version and position. */
@Command(name = "append", mixinStandardHelpOptions = true, versionProvider = FactumCli.Version.class, sortOptions = false,
        description = "Appends one event to a stream and prints the version and position it got.",
        footer = {"%nExamples:",
                "  factum append Order-1 OrderCreated '{\"customerId\":\"c-1\"}'",
                "  factum append Order-1 OrderShipped '{}' --expected-version 1 --header tenant=t-1",
                "  echo '{\"amount\":12}' | factum append Payment-7 PaymentReceived -"})
final class AppendCommand extends StoreCommand {

    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream name 'Category-id', e.g. Order-1.")
    StreamId stream;

    @Parameters(index = "1", paramLabel = "TYPE", description = "Event type name, e.g. OrderCreated.")
    String type;

    @Parameters(index = "2", paramLabel = "PAYLOAD", description = "The payload, a JSON object; '-' reads it from standard input.")
    String payload;

    @Option(names = "--expected-version", paramLabel = "any|no-stream|exists|N", defaultValue = "any",
            description = "Append only if the stream is at this version (default: any). On a mismatch nothing is written and the exit code is 3.")
    ExpectedVersion expectedVersion;

    @Option(names = "--event-id", paramLabel = "UUID",
            description = "The event's id (default: a new time-ordered UUID). Repeating an append with the same id writes nothing.")
    UUID eventId;

    @Option(names = "--correlation-id", paramLabel = "ID", description = "Correlation id (default: the event id).")
    String correlationId;

    @Option(names = "--causation-id", paramLabel = "ID", description = "Causation id (default: the event id).")
    String causationId;

    @Option(names = "--user-id", paramLabel = "ID", description = "The user on whose behalf the event happened.")
    String userId;

    @Option(names = "--traceparent", paramLabel = "TRACEPARENT", description = "W3C trace context, 00-<32 hex>-<16 hex>-<2 hex>.")
    String traceParent;

    @Option(names = "--schema-version", paramLabel = "N", description = "Schema version of the payload (default: 1).")
    Integer schemaVersion;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "A custom metadata header; repeatable.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--headers", paramLabel = "JSON", description = "Custom metadata headers as a JSON object of strings, e.g. '{\"tenant\":\"t-1\"}'.")
    String headersJson;

    private Metadata metadata;
    private String data;

    @Override
    void validate() {
        metadata = metadata();
        data = payload.equals("-") ? readStdin() : payload;
    }

    @Override
    int run(EventStore store, Output output) {
        AppendResult result = store.append(stream, expectedVersion, List.of(new NewEvent(type, data, metadata)));
        output.appended(result, metadata);
        return FactumCli.OK;
    }

    private Metadata metadata() {
        Map<String, String> allHeaders = new LinkedHashMap<>();
        if (headersJson != null) {
            try {
                allHeaders.putAll(MetadataCodec.stringMap(headersJson));
            } catch (IllegalArgumentException e) {
                throw usage("--headers: " + e.getMessage());
            }
        }
        allHeaders.putAll(headers);
        try {
            Metadata m = Metadata.withId(eventId != null ? eventId : EventIds.next());
            if (correlationId != null) m = m.withCorrelationId(correlationId);
            if (causationId != null) m = m.withCausationId(causationId);
            if (userId != null) m = m.withUserId(userId);
            if (traceParent != null) m = m.withTraceParent(traceParent);
            if (schemaVersion != null) m = m.withSchemaVersion(schemaVersion);
            return m.withHeaders(allHeaders);
        } catch (IllegalArgumentException e) {
            throw usage("metadata: " + e.getMessage());
        }
    }

    private String readStdin() {
        try {
            return new String(cli.stdin().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new CliFailure("cannot read the payload from standard input: " + e.getMessage(), e);
        }
    }
}
