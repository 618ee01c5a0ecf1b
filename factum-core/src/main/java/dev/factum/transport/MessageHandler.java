// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

/**
 * Handles one delivered message. Returning acknowledges it; throwing hands it to the consumer's
 * {@link dev.factum.retry.RetryPolicy} (a {@link RejectedMessageException} goes to the dead letters without a retry).
 * Messages are delivered at least once: make the effect idempotent, usually with an {@link dev.factum.inbox.Inbox}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface MessageHandler {
    void handle(Message message) throws Exception;
}
