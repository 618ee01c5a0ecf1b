// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import dev.factum.FactumException;

import java.util.UUID;

/**
 * An append reused an event id that is already stored for a different event (another stream, another version, or
 * another type or payload), or mixed stored and new ids. Re-appending exactly the stored events is not an error: it
 * returns the original {@link AppendResult}. Nothing of the refused append was written.
 *
 * @since 0.1
 */
public final class DuplicateEventIdException extends FactumException {
    private final UUID eventId;

    public DuplicateEventIdException(UUID eventId, String reason) {
        super("event id " + eventId + " is already used: " + reason);
        this.eventId = eventId;
    }

    public UUID eventId() {
        return eventId;
    }
}
