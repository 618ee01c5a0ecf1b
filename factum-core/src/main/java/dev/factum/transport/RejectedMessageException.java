// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import dev.factum.FactumException;

/**
 * Thrown by a {@link MessageHandler} for a message that no retry can fix (an unknown type, a payload the consumer
 * cannot accept): the message goes to the dead letters at once, with this exception's message as the reason, and the
 * consumer goes on with the next one. Any other exception is retried by the consumer's
 * {@link dev.factum.retry.RetryPolicy}.
 *
 * @since 0.1
 */
public class RejectedMessageException extends FactumException {
    public RejectedMessageException(String message) {
        super(message);
    }

    public RejectedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
