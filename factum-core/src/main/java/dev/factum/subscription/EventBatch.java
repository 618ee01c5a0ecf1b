// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.event.RecordedEvent;
import dev.factum.store.Position;

import java.util.List;

/**
 * Events handed to a subscription handler at once, in position order, with the transaction that will store the
 * checkpoint after them.
 *
 * @since 0.1
 */
public record EventBatch(String subscription, List<RecordedEvent> events, StoreTransaction transaction) {
    public EventBatch {
        events = List.copyOf(events);
        if (events.isEmpty()) throw new IllegalArgumentException("a batch has at least one event");
    }

    /** Position of the last event of the batch: the checkpoint stored after it. */
    public Position lastPosition() {
        return events.get(events.size() - 1).position();
    }
}
