// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import dev.factum.FactumException;

/**
 * A message that cannot be read as a Factum {@link Message}: a missing or malformed envelope header, a content type
 * other than JSON, a body that is not JSON. Never retried: the message goes to the dead letters at once with this
 * reason.
 *
 * @since 0.1
 */
public class InvalidMessageException extends FactumException {
    public InvalidMessageException(String message) {
        super(message);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
