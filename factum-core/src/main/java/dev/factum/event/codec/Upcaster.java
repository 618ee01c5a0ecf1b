// SPDX-License-Identifier: Apache-2.0
package dev.factum.event.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factum.event.Metadata;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One step of schema evolution: turns the payload of a stored event of type {@link #type()} at schema version
 * {@link #schemaVersion()} into the shape of schema version {@code schemaVersion + 1}, optionally under a new type name
 * ({@link #targetType()}). Register upcasters on {@link EventCodec.Builder#upcaster(Upcaster)}; the codec then applies
 * them, one after the other, on every read that decodes through it, so stored events are never rewritten.
 *
 * <p>The change receives a private copy of the payload (mutate it freely) and the event's metadata as of this step;
 * it must return a JSON object. If it throws or returns anything else, decoding that one event fails with an
 * {@link EventDecodingException} naming the type, schema version and position; the events after it are not affected.
 * A chain always ends: every step raises the schema version by one, and each (type, schema version) has at most one
 * upcaster.
 *
 * @param type          the stored type name this upcaster reads
 * @param schemaVersion the stored schema version this upcaster reads, from 1
 * @param targetType    the type name of the result (the same as {@code type} unless the event is renamed)
 * @param change        the payload transformation
 * @since 0.1
 */
public record Upcaster(String type, int schemaVersion, String targetType, Change change) {

    /**
     * The payload transformation of one upcaster.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Change {
        /**
         * The payload in the next shape.
         *
         * @param payload  a copy of the payload in the shape of {@code metadata.schemaVersion()}
         * @param metadata the event's metadata, with the schema version this step reads
         * @return the new payload, which must be a JSON object (may be {@code payload} itself, changed)
         */
        JsonNode apply(ObjectNode payload, Metadata metadata);
    }

    public Upcaster {
        requireName(type, "type");
        requireName(targetType, "target type");
        if (schemaVersion < 1 || schemaVersion == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("upcaster schema version must be >= 1 and below " + Integer.MAX_VALUE
                    + ", was " + schemaVersion);
        }
        Objects.requireNonNull(change, "change");
    }

    /** An upcaster of {@code type} from {@code schemaVersion} to the next, keeping the type name. */
    public static Upcaster of(String type, int schemaVersion, UnaryOperator<ObjectNode> change) {
        Objects.requireNonNull(change, "change");
        return new Upcaster(type, schemaVersion, type, (payload, metadata) -> change.apply(payload));
    }

    /** An upcaster of {@code type} from {@code schemaVersion} to the next, keeping the type name, reading the metadata. */
    public static Upcaster of(String type, int schemaVersion, Change change) {
        return new Upcaster(type, schemaVersion, type, change);
    }

    /** An upcaster that renames {@code type} to {@code targetType} at the next schema version, changing the payload. */
    public static Upcaster renaming(String type, int schemaVersion, String targetType, UnaryOperator<ObjectNode> change) {
        Objects.requireNonNull(change, "change");
        return new Upcaster(type, schemaVersion, targetType, (payload, metadata) -> change.apply(payload));
    }

    /** An upcaster that only renames {@code type} to {@code targetType}; the payload is kept as it is. */
    public static Upcaster renaming(String type, int schemaVersion, String targetType) {
        return renaming(type, schemaVersion, targetType, UnaryOperator.identity());
    }

    /** The schema version of this upcaster's result. */
    public int targetSchemaVersion() {
        return schemaVersion + 1;
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("upcaster " + what + " is blank");
    }
}
