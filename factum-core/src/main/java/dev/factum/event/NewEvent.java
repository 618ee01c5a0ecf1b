// SPDX-License-Identifier: Apache-2.0
package dev.factum.event;

import java.util.Objects;
import java.util.UUID;

/**
 * An event to append: its stable type name, its payload as a JSON object, and its {@link Metadata} (which holds the
 * event id). Build one from a domain record with {@link dev.factum.event.codec.EventCodec#encode}; the payload is
 * kept serialized so that a store never needs the application's classes and a reader never fails on a type it does
 * not know.
 *
 * <p>The store refuses, with an {@link InvalidEventException} and nothing written: a blank or malformed type name, a
 * payload that is not a JSON object, a payload above the store's configured maximum size.
 *
 * @param type     stable type name, e.g. {@code AccountOpened}; never the Java class name
 * @param data     the payload, a JSON object in text form
 * @param metadata event id, correlation, causation and the rest
 * @since 0.1
 */
public record NewEvent(String type, String data, Metadata metadata) {
    public NewEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** A root event (fresh metadata) with the given type and JSON payload. */
    public static NewEvent of(String type, String data) {
        return new NewEvent(type, data, Metadata.create());
    }

    public UUID eventId() {
        return metadata.eventId();
    }

    public NewEvent withMetadata(Metadata metadata) {
        return new NewEvent(type, data, metadata);
    }
}
