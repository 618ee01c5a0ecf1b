// SPDX-License-Identifier: Apache-2.0
package dev.factum.event;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What is known about an event besides its payload: its unique id, the correlation id of the whole conversation, the
 * id of the message that caused it, the user on whose behalf it happened, the W3C {@code traceparent} of the trace it
 * belongs to, the schema version of its payload, and custom string headers.
 *
 * <p>{@link #create()} starts a root event: a fresh time-ordered id that is also its correlation and causation id.
 * The {@code with…} methods return copies. Refused with an {@link IllegalArgumentException}: a blank correlation,
 * causation or user id, a {@code traceparent} that is not in W3C form, a schema version below 1, a blank header name.
 *
 * @param eventId       unique id of the event; appending the same id again is idempotent
 * @param correlationId id shared by every message of one conversation (defaults to the event id)
 * @param causationId   id of the command or event that caused this one (defaults to the event id)
 * @param userId        the user on whose behalf the event happened
 * @param traceParent   W3C trace context {@code traceparent} ({@code 00-<32 hex>-<16 hex>-<2 hex>})
 * @param schemaVersion version of the payload's shape, starting at 1; upcasters key on it
 * @param headers       custom string headers, sorted by name
 * @since 0.1
 */
public record Metadata(UUID eventId, String correlationId, String causationId, Optional<String> userId,
                       Optional<String> traceParent, int schemaVersion, Map<String, String> headers) {

    private static final Pattern TRACE_PARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    public Metadata {
        Objects.requireNonNull(eventId, "eventId");
        requireText(correlationId, "correlation id");
        requireText(causationId, "causation id");
        Objects.requireNonNull(userId, "userId");
        userId.ifPresent(u -> requireText(u, "user id"));
        Objects.requireNonNull(traceParent, "traceParent");
        traceParent.ifPresent(t -> {
            if (!TRACE_PARENT.matcher(t).matches()) {
                throw new IllegalArgumentException("traceparent '" + t + "' is not in W3C form 00-<32 hex>-<16 hex>-<2 hex>");
            }
        });
        if (schemaVersion < 1) throw new IllegalArgumentException("schema version must be >= 1, was " + schemaVersion);
        Objects.requireNonNull(headers, "headers");
        TreeMap<String, String> copy = new TreeMap<>();
        headers.forEach((name, value) -> {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("metadata header name is blank");
            if (value == null) throw new IllegalArgumentException("metadata header '" + name + "' has no value");
            copy.put(name, value);
        });
        headers = java.util.Collections.unmodifiableMap(copy);
    }

    /** Metadata of a root event: a fresh time-ordered id, used as its correlation and causation id too. */
    public static Metadata create() {
        return withId(EventIds.next());
    }

    /** Metadata of a root event with the given id. */
    public static Metadata withId(UUID eventId) {
        String id = eventId.toString();
        return new Metadata(eventId, id, id, Optional.empty(), Optional.empty(), 1, Map.of());
    }

    public Metadata withEventId(UUID id) {
        return new Metadata(id, correlationId, causationId, userId, traceParent, schemaVersion, headers);
    }

    public Metadata withCorrelationId(String id) {
        return new Metadata(eventId, id, causationId, userId, traceParent, schemaVersion, headers);
    }

    public Metadata withCausationId(String id) {
        return new Metadata(eventId, correlationId, id, userId, traceParent, schemaVersion, headers);
    }

    public Metadata withUserId(String id) {
        return new Metadata(eventId, correlationId, causationId, Optional.of(id), traceParent, schemaVersion, headers);
    }

    public Metadata withTraceParent(String traceParent) {
        return new Metadata(eventId, correlationId, causationId, userId, Optional.of(traceParent), schemaVersion, headers);
    }

    public Metadata withSchemaVersion(int version) {
        return new Metadata(eventId, correlationId, causationId, userId, traceParent, version, headers);
    }

    /** A copy with one more header (replacing one of the same name). */
    public Metadata withHeader(String name, String value) {
        TreeMap<String, String> copy = new TreeMap<>(headers);
        copy.put(name, value);
        return new Metadata(eventId, correlationId, causationId, userId, traceParent, schemaVersion, copy);
    }

    /** A copy with the given headers added (replacing those of the same name). */
    public Metadata withHeaders(Map<String, String> more) {
        TreeMap<String, String> copy = new TreeMap<>(headers);
        copy.putAll(more);
        return new Metadata(eventId, correlationId, causationId, userId, traceParent, schemaVersion, copy);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " is blank");
    }
}
