// SPDX-License-Identifier: Apache-2.0
package dev.factum.event.codec;

import dev.factum.FactumException;
import dev.factum.store.Position;

/**
 * A stored event could not be turned into a Java value: its type is not registered, or its payload or metadata does
 * not fit. Names the type and the position so the event can be found; affects only this event, never the ones after
 * it.
 *
 * @since 0.1
 */
public final class EventDecodingException extends FactumException {
    private final String type;
    private final Position position;

    public EventDecodingException(String type, Position position, String reason, Throwable cause) {
        super("cannot decode event of type '" + type + "' at position " + position + ": " + reason, cause);
        this.type = type;
        this.position = position;
    }

    public String type() {
        return type;
    }

    public Position position() {
        return position;
    }
}
