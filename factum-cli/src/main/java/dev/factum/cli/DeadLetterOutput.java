// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prints dead letters: a table with one line per letter — id, consumer, type, state, attempts, dead at, reason — or,
 * with {@code --json}, one JSON object per line; {@code show} prints one letter in full.
 */
final class DeadLetterOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLUMNS = List.of("ID", "CONSUMER", "TYPE", "STATE", "ATTEMPTS", "DEAD AT", "REASON");

    private final PrintWriter out;
    private final boolean json;

    DeadLetterOutput(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    void table(List<DeadLetter> letters) {
        if (json) {
            letters.forEach(l -> out.println(summary(l)));
            return;
        }
        if (letters.isEmpty()) {
            out.println("no dead letters");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(COLUMNS);
        for (DeadLetter l : letters) {
            rows.add(List.of(l.id().toString(), l.consumer(), l.messageType().orElse("-"), l.state().name(),
                    String.valueOf(l.attempts().size()), l.deadAt().toString(), oneLine(l.reason())));
        }
        int[] widths = new int[COLUMNS.size() - 1];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row.get(i).length());
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 2));
            }
            out.println(line.append(row.getLast()));
        }
    }

    /** {@code show}: everything the letter holds. */
    void letter(DeadLetter l) {
        if (json) {
            out.println(full(l));
            return;
        }
        field("dead letter", l.id().toString());
        field("consumer", l.consumer());
        field("state", l.state().name());
        field("message type", l.messageType().orElse("-"));
        field("message id", l.messageId().orElse("-"));
        field("dead at", l.deadAt().toString());
        field("reason", oneLine(l.reason()));
        l.replayRequestedAt().ifPresent(at -> field("replay requested", at.toString()));
        if (l.resolvedAt().isPresent()) {
            field("resolved", l.state().name().toLowerCase() + " at " + l.resolvedAt().get() + ": "
                    + oneLine(l.resolution().orElse("")));
        }
        out.println("attempts (" + l.attempts().size() + ")");
        for (Attempt a : l.attempts()) out.println("  " + a.number() + "  " + a.at() + "  " + oneLine(a.error()));
        out.println("headers (" + l.headers().size() + ")");
        l.headers().forEach((name, value) -> out.println("  " + name + ": " + oneLine(value)));
        out.println("body");
        l.body().lines().forEach(line -> out.println("  " + line));
        out.println("stack summary");
        l.stackSummary().lines().forEach(line -> out.println("  " + line));
    }

    void replayRequested(DeadLetter l) {
        if (json) {
            out.println(summary(l));
        } else {
            out.println("replay of dead letter " + l.id() + " requested: the process running consumer '" + l.consumer()
                    + "' will replay it");
        }
    }

    void replayed(DeadLetter l) {
        if (json) {
            out.println(summary(l));
        } else {
            out.println("dead letter " + l.id() + " replayed by consumer '" + l.consumer() + "' at "
                    + l.resolvedAt().map(Instant::toString).orElse("?"));
        }
    }

    void discarded(DeadLetter l) {
        if (json) {
            out.println(summary(l));
        } else {
            out.println("dead letter " + l.id() + " discarded: " + oneLine(l.resolution().orElse("")));
        }
    }

    void flush() {
        out.flush();
    }

    /** {@code 30s}, {@code 1m30s}, {@code 2h}, {@code 1d2h}, {@code 250ms}: a duration as a person types it. */
    static String duration(Duration d) {
        StringBuilder text = new StringBuilder();
        append(text, d.toDaysPart(), "d");
        append(text, d.toHoursPart(), "h");
        append(text, d.toMinutesPart(), "m");
        append(text, d.toSecondsPart(), "s");
        append(text, d.toMillisPart(), "ms");
        return text.isEmpty() ? d.toString() : text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) text.append(amount).append(unit);
    }

    private void field(String name, String value) {
        out.println(name + " ".repeat(Math.max(2, 18 - name.length())) + value);
    }

    private static ObjectNode summary(DeadLetter l) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", l.id().toString());
        node.put("consumer", l.consumer());
        node.put("type", l.messageType().orElse(null));
        node.put("messageId", l.messageId().orElse(null));
        node.put("state", l.state().name());
        node.put("attempts", l.attempts().size());
        node.put("deadAt", l.deadAt().toString());
        node.put("reason", l.reason());
        node.put("replayRequestedAt", text(l.replayRequestedAt()));
        node.put("resolution", l.resolution().orElse(null));
        node.put("resolvedAt", text(l.resolvedAt()));
        return node;
    }

    private static ObjectNode full(DeadLetter l) {
        ObjectNode node = summary(l);
        ArrayNode attempts = node.putArray("attempts");
        for (Attempt a : l.attempts()) {
            attempts.addObject().put("number", a.number()).put("at", a.at().toString()).put("error", a.error());
        }
        ObjectNode headers = node.putObject("headers");
        for (Map.Entry<String, String> header : l.headers().entrySet()) headers.put(header.getKey(), header.getValue());
        node.put("body", l.body());
        node.put("stackSummary", l.stackSummary());
        return node;
    }

    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }

    private static String oneLine(String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
