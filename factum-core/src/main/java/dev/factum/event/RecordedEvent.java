// SPDX-License-Identifier: Apache-2.0
package dev.factum.event;

import dev.factum.store.Position;
import dev.factum.store.StreamId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as read back from a store: what was appended plus where it landed — its stream, its 1-based version in
 * that stream, its position in the global order — and when it was recorded. The payload stays JSON text; decode it
 * with {@link dev.factum.event.codec.EventCodec#decode}, which names this event's type and position when it cannot.
 *
 * @param recordedAt when the store committed it; precision depends on the store (microseconds on PostgreSQL and
 *                   SQLite, as the in-memory store)
 * @since 0.1
 */
public record RecordedEvent(StreamId stream, long version, Position position, String type, String data,
                            Metadata metadata, Instant recordedAt) {
    public RecordedEvent {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (version < 1) throw new IllegalArgumentException("version must be >= 1, was " + version);
    }

    public UUID eventId() {
        return metadata.eventId();
    }
}
