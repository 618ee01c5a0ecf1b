// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The envelope of a {@link Message} as string headers, the same on every broker (AMQP headers, Kafka record
 * headers): {@value #MESSAGE_ID}, {@value #TYPE}, {@value #STREAM}, {@value #POSITION}, {@value #CORRELATION_ID},
 * {@value #CAUSATION_ID}, {@value #USER_ID} (optional), {@value #TRACE_PARENT} (optional, W3C), {@value #CONTENT_TYPE},
 * {@value #TIMESTAMP} (ISO-8601), and each custom metadata header as {@value #HEADER_PREFIX}{@code <name>}.
 *
 * <p>{@link #decode} is the boundary check for messages from outside: every missing or malformed header, a content
 * type other than JSON and a body that is not one JSON value each give an {@link InvalidMessageException} naming the
 * problem.
 *
 * @since 0.1
 */
public final class MessageHeaders {
    public static final String MESSAGE_ID = "factum-message-id";
    public static final String TYPE = "factum-type";
    public static final String STREAM = "factum-stream";
    public static final String POSITION = "factum-position";
    public static final String CORRELATION_ID = "factum-correlation-id";
    public static final String CAUSATION_ID = "factum-causation-id";
    public static final String USER_ID = "factum-user-id";
    public static final String TRACE_PARENT = "traceparent";
    public static final String CONTENT_TYPE = "content-type";
    public static final String TIMESTAMP = "factum-timestamp";
    public static final String HEADER_PREFIX = "factum-header.";

    private static final JsonFactory JSON = new JsonFactory();

    private MessageHeaders() {
    }

    /** The envelope of {@code message} as headers. */
    public static Map<String, String> encode(Message message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(MESSAGE_ID, message.messageId().toString());
        headers.put(TYPE, message.type());
        headers.put(STREAM, message.stream());
        headers.put(POSITION, Long.toString(message.position()));
        headers.put(CORRELATION_ID, message.correlationId());
        headers.put(CAUSATION_ID, message.causationId());
        message.userId().ifPresent(user -> headers.put(USER_ID, user));
        message.traceParent().ifPresent(trace -> headers.put(TRACE_PARENT, trace));
        headers.put(CONTENT_TYPE, message.contentType());
        headers.put(TIMESTAMP, message.timestamp().toString());
        message.headers().forEach((name, value) -> headers.put(HEADER_PREFIX + name, value));
        return headers;
    }

    /**
     * Reads a message from its headers and body.
     *
     * @throws InvalidMessageException naming the first problem found
     */
    public static Message decode(Map<String, String> headers, String body) {
        if (headers == null) throw new InvalidMessageException("the message has no headers");
        UUID id = uuid(required(headers, MESSAGE_ID));
        String type = required(headers, TYPE);
        String stream = required(headers, STREAM);
        long position = position(required(headers, POSITION));
        String contentType = required(headers, CONTENT_TYPE);
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!mediaType.equals(Message.JSON)) {
            throw new InvalidMessageException("content type '" + contentType + "' is not " + Message.JSON);
        }
        if (body == null) throw new InvalidMessageException("the message has no body");
        requireJson(body);
        Instant timestamp;
        try {
            timestamp = Instant.parse(required(headers, TIMESTAMP));
        } catch (DateTimeParseException e) {
            throw new InvalidMessageException("header " + TIMESTAMP + " '" + headers.get(TIMESTAMP)
                    + "' is not an ISO-8601 instant", e);
        }
        Map<String, String> custom = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (name != null && name.startsWith(HEADER_PREFIX) && name.length() > HEADER_PREFIX.length()) {
                if (value == null) throw new InvalidMessageException("header " + name + " has no value");
                custom.put(name.substring(HEADER_PREFIX.length()), value);
            }
        });
        try {
            return new Message(id, type, stream, position, required(headers, CORRELATION_ID),
                    required(headers, CAUSATION_ID), optional(headers, USER_ID), optional(headers, TRACE_PARENT),
                    contentType, body, custom, timestamp);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> headers, String name) {
        String value = headers.get(name);
        if (value == null || value.isBlank()) throw new InvalidMessageException("header " + name + " is missing");
        return value;
    }

    private static Optional<String> optional(Map<String, String> headers, String name) {
        String value = headers.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("header " + MESSAGE_ID + " '" + text + "' is not a UUID", e);
        }
    }

    private static long position(String text) {
        try {
            long position = Long.parseLong(text);
            if (position >= 1) return position;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidMessageException("header " + POSITION + " '" + text + "' is not a position (a whole number >= 1)");
    }

    private static void requireJson(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) throw new InvalidMessageException("the body is empty, not JSON");
            parser.skipChildren();
            if (parser.nextToken() != null) throw new InvalidMessageException("the body has more than one JSON value");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidMessageException("the body is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidMessageException("the body is not JSON: " + e.getMessage(), e);
        }
    }
}
