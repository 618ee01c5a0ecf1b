// SPDX-License-Identifier: Apache-2.0
package dev.factum.event.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.Metadata;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    private static final JsonFactory JSON = MAPPER.getFactory();
    /** Reads one value in the middle of a document (for error messages), so no trailing-token check. */
    private static final ObjectMapper TREES = new ObjectMapper();

    private MetadataCodec() {
    }

    public static String toJson(Metadata m) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventId", m.eventId().toString());
            g.writeStringField("correlationId", m.correlationId());
            g.writeStringField("causationId", m.causationId());
            if (m.userId().isPresent()) g.writeStringField("userId", m.userId().get());
            if (m.traceParent().isPresent()) g.writeStringField("traceParent", m.traceParent().get());
            g.writeNumberField("schemaVersion", m.schemaVersion());
            if (!m.headers().isEmpty()) {
                g.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> h : m.headers().entrySet()) g.writeStringField(h.getKey(), h.getValue());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metadata JSON", e);
        }
        return out.toString();
    }

    /**
     * Parses the JSON form. Streams over the text without building a tree: stores call this for every event they
     * read. Unknown fields are ignored (forward compatibility).
     *
     * @throws IllegalArgumentException naming what is missing or of the wrong type
     */
    public static Metadata fromJson(String json) {
        String eventId = null, correlationId = null, causationId = null, userId = null, traceParent = null;
        int schemaVersion = 1;
        Map<String, String> headers = Map.of();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("metadata is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "eventId" -> eventId = string(p, value, field);
                    case "correlationId" -> correlationId = string(p, value, field);
                    case "causationId" -> causationId = string(p, value, field);
                    case "userId" -> userId = string(p, value, field);
                    case "traceParent" -> traceParent = string(p, value, field);
                    case "schemaVersion" -> schemaVersion = schemaVersion(p, value);
                    case "headers" -> headers = headers(p, value);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) throw new IllegalArgumentException("metadata is not valid JSON: text after the object");
        } catch (IOException e) {
            throw new IllegalArgumentException("metadata is not valid JSON: " + firstLine(e.getMessage()), e);
        }
        if (eventId == null) throw new IllegalArgumentException("metadata has no eventId");
        UUID id;
        try {
            id = UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata eventId is not a UUID: \"" + eventId + "\"", e);
        }
        if (correlationId == null) throw new IllegalArgumentException("metadata has no correlationId");
        if (causationId == null) throw new IllegalArgumentException("metadata has no causationId");
        return new Metadata(id, correlationId, causationId, Optional.ofNullable(userId), Optional.ofNullable(traceParent),
                schemaVersion, headers);
    }

    private static String string(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) return null;
        if (value != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("metadata " + field + " is not a string: " + rawValue(p, value));
        }
        return p.getText();
    }

    private static int schemaVersion(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) return 1;
        if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new IllegalArgumentException("metadata schemaVersion is not an integer: " + rawValue(p, value));
        }
        return p.getIntValue();
    }

    private static Map<String, String> headers(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) return Map.of();
        if (value != JsonToken.START_OBJECT) throw new IllegalArgumentException("metadata headers are not a JSON object of strings");
        Map<String, String> headers = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("metadata header '" + name + "' is not a string: " + rawValue(p, v));
            }
            headers.put(name, p.getText());
        }
        return headers;
    }

    /** The offending value as JSON text, for error messages. */
    private static String rawValue(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) return TREES.readTree(p).toString();
        return p.getText();
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
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

}
