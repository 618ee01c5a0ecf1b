// SPDX-License-Identifier: Apache-2.0
package dev.factum.event;

import dev.factum.FactumException;

/**
 * An event was refused before anything was written: its type name, payload or metadata is malformed or too large.
 * The message names the event id and the problem.
 *
 * @since 0.1
 */
public final class InvalidEventException extends FactumException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
