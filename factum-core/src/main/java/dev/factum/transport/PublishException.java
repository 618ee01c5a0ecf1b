// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import dev.factum.FactumException;

import java.util.Optional;
import java.util.UUID;

/**
 * A publish that the broker did not confirm: nothing of the batch may be treated as sent. {@link #retryable()} tells
 * whether sending again can succeed (the broker is unreachable, a confirm timed out, a send expired) or not (the
 * broker refuses this message, e.g. it is larger than the broker accepts — {@link #messageId()} names it).
 *
 * @since 0.1
 */
public class PublishException extends FactumException {
    private final boolean retryable;
    private final UUID messageId;

    public PublishException(String message, boolean retryable, UUID messageId, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.messageId = messageId;
    }

    /** A failure that sending again may fix (broker down, confirm timeout, expired send). */
    public static PublishException retryable(String message, Throwable cause) {
        return new PublishException(message, true, null, cause);
    }

    /** The broker refuses {@code messageId} for good; the other messages of the batch may be sent again. */
    public static PublishException refused(String message, UUID messageId, Throwable cause) {
        return new PublishException(message, false, messageId, cause);
    }

    public boolean retryable() {
        return retryable;
    }

    /** The message the broker refuses for good, if the failure is about one message. */
    public Optional<UUID> messageId() {
        return Optional.ofNullable(messageId);
    }
}
