// SPDX-License-Identifier: Apache-2.0
package dev.factum.store.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.factum.event.InvalidEventException;
import dev.factum.event.NewEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The checks every store makes, in the caller's thread, before an append reaches the database: so bad input gets the
 * same clear error on every store and nothing is half-written. Store SPI, not for applications.
 */
public final class AppendValidation {
    private static final JsonFactory JSON = new JsonFactory();
    /** Stable type names: a letter, then letters, digits and {@code _ . : $ -}; at most 200 characters. */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_.:$-]{0,199}");

    private AppendValidation() {
    }

    public static AppendRequest validate(StreamId stream, ExpectedVersion expected, List<NewEvent> events, StoreLimits limits) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(expected, "expected version");
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) throw new IllegalArgumentException("append to " + stream + " has no events");
        if (events.size() > limits.maxEventsPerAppend()) {
            throw new IllegalArgumentException("append to " + stream + " has " + events.size()
                    + " events; the limit is " + limits.maxEventsPerAppend());
        }
        Set<UUID> ids = new HashSet<>();
        for (NewEvent event : events) {
            Objects.requireNonNull(event, "event");
            if (!ids.add(event.eventId())) {
                throw new IllegalArgumentException("append to " + stream + " repeats event id " + event.eventId());
            }
            validate(event, limits);
        }
        return new AppendRequest(stream, expected, events);
    }

    public static void validate(NewEvent event, StoreLimits limits) {
        if (!TYPE.matcher(event.type()).matches()) {
            throw new InvalidEventException("event " + event.eventId() + " has a malformed type name '" + event.type()
                    + "': it must start with a letter and hold at most 200 letters, digits or _ . : $ -");
        }
        String data = event.data();
        if (data.length() > limits.maxPayloadBytes()
                || (data.length() * 3L > limits.maxPayloadBytes() && data.getBytes(StandardCharsets.UTF_8).length > limits.maxPayloadBytes())) {
            throw new InvalidEventException("event " + event.eventId() + " of type " + event.type() + " has a payload of "
                    + data.getBytes(StandardCharsets.UTF_8).length + " bytes; the limit is " + limits.maxPayloadBytes());
        }
        requireJsonObject(event, data);
    }

    private static void requireJsonObject(NewEvent event, String data) {
        try (JsonParser parser = JSON.createParser(data)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidEventException("event " + event.eventId() + " of type " + event.type()
                        + " has a payload that is not a JSON object" + (first == null ? " (it is empty)" : ""));
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new InvalidEventException("event " + event.eventId() + " of type " + event.type()
                        + " has text after the end of its JSON payload");
            }
        } catch (IOException e) {
            throw new InvalidEventException("event " + event.eventId() + " of type " + event.type()
                    + " has a payload that is not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
