// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Small builders and readers shared by the suites: fresh streams, numbered events, whole-store reads. */
final class TestEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestEvents() {
    }

    /** A stream of this category that no other test uses. */
    static StreamId freshStream(String category) {
        return StreamId.of(category, UUID.randomUUID().toString());
    }

    /** One root event with the payload {@code {"n": n}}. */
    static NewEvent numbered(String type, int n) {
        return NewEvent.of(type, "{\"n\":" + n + "}");
    }

    /** {@code count} root events numbered from 1, payloads {@code {"n": i}}. */
    static List<NewEvent> numbered(String type, int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> numbered(type, i)).toList();
    }

    static List<NewEvent> events(int count) {
        return numbered("Happened", 1, count);
    }

    /** The whole stream, oldest first. */
    static List<RecordedEvent> readStream(EventStore store, StreamId stream) {
        return store.readStream(stream, ReadStreamOptions.forward());
    }

    /** The whole global order, read in pages. */
    static List<RecordedEvent> readAll(EventStore store) {
        return readAll(store, ReadAllOptions.fromStart().limit(500));
    }

    /**
     * Everything after {@code first.after()}, read in pages of {@code first.limit()} (of {@code first.category()}), each
     * page continuing after the last position of the one before. Fails, instead of looping, on a page that is too
     * long or does not start after the position it was asked to read after.
     */
    static List<RecordedEvent> readAll(EventStore store, ReadAllOptions first) {
        List<RecordedEvent> all = new ArrayList<>();
        ReadAllOptions options = first;
        while (true) {
            List<RecordedEvent> page = store.readAll(options);
            if (page.isEmpty()) return all;
            if (page.size() > options.limit()) {
                throw new AssertionError("readAll with limit " + options.limit() + " returned " + page.size() + " events");
            }
            if (!page.get(0).position().isAfter(options.after())) {
                throw new AssertionError("readAll after position " + options.after() + " returned position "
                        + page.get(0).position() + ": reads after a position are exclusive and strictly increasing");
            }
            all.addAll(page);
            options = new ReadAllOptions(page.get(page.size() - 1).position(), first.limit(), first.category());
        }
    }

    static List<UUID> ids(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::eventId).toList();
    }

    static List<UUID> newIds(List<NewEvent> events) {
        return events.stream().map(NewEvent::eventId).toList();
    }

    static List<Long> positions(List<RecordedEvent> events) {
        return events.stream().map(e -> e.position().value()).toList();
    }

    static List<Long> versions(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::version).toList();
    }

    /** Parsed JSON, so payloads compare by meaning, not by spacing or key order. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("stored payload is not valid JSON: " + text, e);
        }
    }
}
