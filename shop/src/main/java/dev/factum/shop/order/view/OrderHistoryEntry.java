// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import dev.factum.store.Position;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One event of an order's history with its metadata.
 *
 * @param type    the stored type name ({@code OrderCreated}, …)
 * @param payload the event's data as JSON, in its current shape (upcast if stored in an older one)
 * @since 0.1
 */
public record OrderHistoryEntry(UUID eventId, String type, long version, Position position, Instant recordedAt,
                                String correlationId, String causationId, Optional<String> userId, String payload) {
    public OrderHistoryEntry {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(causationId, "causationId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(payload, "payload");
    }
}
