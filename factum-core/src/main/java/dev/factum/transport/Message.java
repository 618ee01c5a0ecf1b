// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import dev.factum.event.RecordedEvent;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An integration message: one stored event as it travels between processes. The envelope carries what a consumer
 * needs without reading the store — the event's id (the message id, the inbox's dedupe key), its type, stream and
 * global position, the correlation, causation and user ids, the W3C trace context, the content type and the time it
 * was recorded — and the body is the event's JSON payload as stored.
 *
 * <p>{@link #of(RecordedEvent)} builds the message of a stored event; {@link MessageHeaders} maps the envelope to
 * broker headers and back. The routing key is {@code Category.EventType} ({@code Account.AccountOpened}).
 *
 * @param messageId     the event id; unique, and the same on every redelivery
 * @param type          the event type name ({@code AccountOpened})
 * @param stream        the stream id text ({@code Account-42}); its category is the part before the first {@code -}
 * @param position      the event's global position in the store it came from (≥ 1)
 * @param correlationId id shared by every message of one conversation
 * @param causationId   id of the command or event that caused this one
 * @param userId        the user on whose behalf the event happened
 * @param traceParent   W3C {@code traceparent}
 * @param contentType   the body's media type; Factum writes {@value #JSON}
 * @param body          the payload (JSON text for {@value #JSON})
 * @param headers       the event's custom metadata headers, sorted by name
 * @param timestamp     when the event was recorded in the store
 * @since 0.1
 */
public record Message(UUID messageId, String type, String stream, long position, String correlationId,
                      String causationId, Optional<String> userId, Optional<String> traceParent, String contentType,
                      String body, Map<String, String> headers, Instant timestamp) {

    /** The content type of every message Factum publishes: the event's JSON payload. */
    public static final String JSON = "application/json";

    public Message {
        Objects.requireNonNull(messageId, "messageId");
        requireText(type, "type");
        requireText(stream, "stream");
        if (position < 1) throw new IllegalArgumentException("message position must be >= 1, was " + position);
        requireText(correlationId, "correlation id");
        requireText(causationId, "causation id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(traceParent, "traceParent");
        requireText(contentType, "content type");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(timestamp, "timestamp");
        headers = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(headers, "headers")));
    }

    /** The message of a stored event: the envelope from its metadata, the body its JSON payload. */
    public static Message of(RecordedEvent event) {
        var metadata = event.metadata();
        return new Message(metadata.eventId(), event.type(), event.stream().toString(), event.position().value(),
                metadata.correlationId(), metadata.causationId(), metadata.userId(), metadata.traceParent(), JSON,
                event.data(), metadata.headers(), event.recordedAt());
    }

    /** The stream's category: the part of the stream id before its first {@code -} ({@code Account}). */
    public String category() {
        int dash = stream.indexOf('-');
        return dash < 0 ? stream : stream.substring(0, dash);
    }

    /** {@code Category.EventType}, the routing key on a topic exchange and what {@link Binding}s match. */
    public String routingKey() {
        return category() + "." + type;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("message " + what + " is missing");
    }
}
