// SPDX-License-Identifier: Apache-2.0
package dev.factum.event.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factum.event.RecordedEvent;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upcasters of one {@link EventCodec}, keyed by (type name, schema version), and the current schema version of
 * each type that follows from them. Immutable. Applying it to a stored event runs every matching upcaster in turn
 * until none matches; each step raises the schema version by one, so the chain ends after at most as many steps as
 * there are upcasters (checked anyway, with an error naming the event).
 */
final class UpcasterChain {

    /** An event after its upcasters: the type name, schema version and payload it has now. */
    record Result(String type, int schemaVersion, ObjectNode payload) {
    }

    private record Key(String type, int schemaVersion) {
    }

    private final Map<Key, Upcaster> byKey = new HashMap<>();
    private final Map<String, Integer> currentVersions = new HashMap<>();

    /** @throws IllegalArgumentException if two upcasters read the same (type name, schema version) */
    UpcasterChain(Collection<Upcaster> upcasters) {
        for (Upcaster u : upcasters) {
            Upcaster previous = byKey.putIfAbsent(new Key(u.type(), u.schemaVersion()), u);
            if (previous != null) throw duplicate(u);
            currentVersions.merge(u.type(), u.targetSchemaVersion(), Math::max);
            currentVersions.merge(u.targetType(), u.targetSchemaVersion(), Math::max);
        }
    }

    static IllegalArgumentException duplicate(Upcaster u) {
        return new IllegalArgumentException("an upcaster for event type '" + u.type() + "' at schema version "
                + u.schemaVersion() + " is already registered");
    }

    boolean matches(String type, int schemaVersion) {
        return !byKey.isEmpty() && byKey.containsKey(new Key(type, schemaVersion));
    }

    /** One above the highest schema version an upcaster reads or produces for this type name; 1 if none. */
    int currentVersion(String type) {
        return currentVersions.getOrDefault(type, 1);
    }

    /** The upcasters that read or produce the given type name (for checks against explicit versions). */
    List<Upcaster> touching(String type) {
        return byKey.values().stream().filter(u -> u.type().equals(type) || u.targetType().equals(type)).toList();
    }

    /**
     * Runs the matching upcasters over the event's payload.
     *
     * @return the upcast event, or empty if no upcaster reads its (type name, schema version)
     * @throws EventDecodingException if the payload is not a JSON object, or an upcaster throws or returns anything
     *                                but a JSON object; names the step's type and schema version and the position
     */
    Optional<Result> apply(RecordedEvent event, ObjectMapper mapper) {
        String type = event.type();
        int version = event.metadata().schemaVersion();
        Upcaster next = byKey.get(new Key(type, version));
        if (next == null) return Optional.empty();
        ObjectNode payload = parse(event, mapper);
        int steps = 0;
        while (next != null) {
            if (++steps > byKey.size()) {
                throw new EventDecodingException(event.type(), event.position(), "upcasters did not end after "
                        + byKey.size() + " steps (at type '" + type + "' schema version " + version + ")", null);
            }
            JsonNode result;
            try {
                result = next.change().apply(payload, event.metadata().withSchemaVersion(version));
            } catch (RuntimeException e) {
                throw failure(event, next, "threw " + e, e);
            }
            if (result == null || !result.isObject()) {
                throw failure(event, next, "returned " + (result == null ? "nothing" : "a JSON " + result.getNodeType()
                        .name().toLowerCase(java.util.Locale.ROOT)) + ", not a JSON object", null);
            }
            type = next.targetType();
            version = next.targetSchemaVersion();
            next = byKey.get(new Key(type, version));
            // the next step gets a private copy, even if this one returned a node it keeps
            payload = next == null ? (ObjectNode) result : ((ObjectNode) result).deepCopy();
        }
        return Optional.of(new Result(type, version, payload));
    }

    private static ObjectNode parse(RecordedEvent event, ObjectMapper mapper) {
        JsonNode node;
        try {
            node = mapper.readTree(event.data());
        } catch (JsonProcessingException e) {
            throw new EventDecodingException(event.type(), event.position(), e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new EventDecodingException(event.type(), event.position(), "payload is not a JSON object", null);
        }
        return (ObjectNode) node;
    }

    private static EventDecodingException failure(RecordedEvent event, Upcaster step, String what, Throwable cause) {
        String stored = step.type().equals(event.type()) && step.schemaVersion() == event.metadata().schemaVersion()
                ? "" : " (stored as schema version " + event.metadata().schemaVersion() + ")";
        return new EventDecodingException(event.type(), event.position(), "upcaster of '" + step.type()
                + "' at schema version " + step.schemaVersion() + " " + what + stored, cause);
    }
}
