// SPDX-License-Identifier: Apache-2.0
package dev.factum.event.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factum.event.Metadata;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The JSON form of {@link Metadata}, as stores keep it and transports carry it:
 * {@code {"eventId":…,"correlationId":…,"causationId":…,"userId":…,"traceParent":…,"schemaVersion":1,"headers":{…}}}.
 * Absent optional fields are left out. Reading refuses, with an {@link IllegalArgumentException} naming the field,
 * anything that is not this shape — in particular headers that are not a map of strings to strings.
 *
 * @since 0.1
 */
public final class MetadataCodec {
    /** Refuses text after the JSON value, so {@code {…} garbage} is not silently read as {@code {…}}. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private MetadataCodec() {
    }

    public static String toJson(Metadata m) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("eventId", m.eventId().toString());
        node.put("correlationId", m.correlationId());
        node.put("causationId", m.causationId());
        m.userId().ifPresent(u -> node.put("userId", u));
        m.traceParent().ifPresent(t -> node.put("traceParent", t));
        node.put("schemaVersion", m.schemaVersion());
        if (!m.headers().isEmpty()) {
            ObjectNode headers = node.putObject("headers");
            m.headers().forEach(headers::put);
        }
        return node.toString();
    }

    /** Parses the JSON form. @throws IllegalArgumentException naming what is missing or of the wrong type */
    public static Metadata fromJson(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException("metadata is not a JSON object");
        String eventIdText = text(node, "eventId", true);
        UUID eventId;
        try {
            eventId = UUID.fromString(eventIdText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata eventId is not a UUID: " + node.get("eventId"), e);
        }
        JsonNode version = node.get("schemaVersion");
        if (version != null && !(version.isIntegralNumber() && version.canConvertToInt())) {
            throw new IllegalArgumentException("metadata schemaVersion is not an integer: " + version);
        }
        return new Metadata(eventId, text(node, "correlationId", true), text(node, "causationId", true),
                Optional.ofNullable(text(node, "userId", false)), Optional.ofNullable(text(node, "traceParent", false)),
                version == null ? 1 : version.intValue(), headers(node.get("headers")));
    }

    /**
     * Parses a JSON object whose values are all strings, e.g. custom headers given on a command line.
     *
     * @throws IllegalArgumentException if it is not such an object
     */
    public static Map<String, String> stringMap(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) throw new IllegalArgumentException("headers are not a JSON object of strings");
            return headers(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers are not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, String> headers(JsonNode node) {
        Map<String, String> headers = new TreeMap<>();
        if (node == null || node.isNull()) return headers;
        if (!node.isObject()) throw new IllegalArgumentException("metadata headers are not a JSON object of strings");
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("metadata header '" + e.getKey() + "' is not a string: " + e.getValue());
            }
            headers.put(e.getKey(), e.getValue().textValue());
        }
        return headers;
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) throw new IllegalArgumentException("metadata has no " + field);
            return null;
        }
        if (!value.isTextual()) throw new IllegalArgumentException("metadata " + field + " is not a string: " + value);
        return value.textValue();
    }
}
