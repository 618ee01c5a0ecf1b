// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.factum.event.Metadata;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.MetadataCodec;
import dev.factum.store.AppendResult;
import dev.factum.store.StoreStatistics;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Prints what commands produce, one line per event: readable text by default —
 * {@code <position>  <stream>@<version>  <type>  <recorded at>  <payload>} — or JSON lines with {@code --json}
 * (position, stream, version, type, recordedAt, data, metadata). Payloads are printed as stored, on one line.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final boolean json;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    void event(RecordedEvent e) {
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("position", e.position().value());
            node.put("stream", e.stream().toString());
            node.put("version", e.version());
            node.put("type", e.type());
            node.put("recordedAt", e.recordedAt().toString());
            node.putRawValue("data", new RawValue(oneLine(e.data())));
            node.putRawValue("metadata", new RawValue(MetadataCodec.toJson(e.metadata())));
            out.println(node);
        } else {
            out.println(e.position() + "  " + e.stream() + "@" + e.version() + "  " + e.type() + "  " + e.recordedAt()
                    + "  " + oneLine(e.data()));
        }
    }

    void appended(AppendResult r, Metadata metadata) {
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("stream", r.stream().toString());
            node.put("firstVersion", r.firstVersion());
            node.put("lastVersion", r.lastVersion());
            node.put("firstPosition", r.firstPosition().value());
            node.put("lastPosition", r.lastPosition().value());
            node.put("eventId", metadata.eventId().toString());
            out.println(node);
        } else {
            String versions = r.firstVersion() == r.lastVersion() ? "version " + r.firstVersion()
                    : "versions " + r.firstVersion() + ".." + r.lastVersion();
            String positions = r.firstPosition().equals(r.lastPosition()) ? "position " + r.firstPosition()
                    : "positions " + r.firstPosition() + ".." + r.lastPosition();
            out.println("appended to " + r.stream() + ": " + versions + ", " + positions + ", event id " + metadata.eventId());
        }
    }

    void statistics(StoreStatistics s) {
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("store", s.description());
            node.put("events", s.events());
            node.put("streams", s.streams());
            node.put("headPosition", s.head().value());
            ObjectNode categories = node.putObject("eventsByCategory");
            s.eventsByCategory().forEach(categories::put);
            out.println(node);
            return;
        }
        out.println("store          " + s.description());
        out.println("events         " + s.events());
        out.println("streams        " + s.streams());
        out.println("head position  " + s.head());
        if (s.eventsByCategory().isEmpty()) return;
        out.println("events by category");
        int width = s.eventsByCategory().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Long> c : s.eventsByCategory().entrySet()) {
            out.println("  " + c.getKey() + " ".repeat(width - c.getKey().length() + 2) + c.getValue());
        }
    }

    void flush() {
        out.flush();
    }

    /** JSON text on one line: line breaks can only be whitespace between tokens in valid JSON. */
    private static String oneLine(String json) {
        return json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
