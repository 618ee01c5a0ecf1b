// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.FactumException;

/**
 * A command or query was sent to a bus that has no handler for its type (nor for any of its supertypes). Raised before
 * any interceptor runs; nothing happened.
 *
 * @since 0.1
 */
public final class NoHandlerException extends FactumException {
    private final Class<?> messageType;

    public NoHandlerException(Class<?> messageType) {
        super("no handler is registered for " + messageType.getName());
        this.messageType = messageType;
    }

    /** The type of the command or query that found no handler. */
    public Class<?> messageType() {
        return messageType;
    }
}
