// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

/**
 * Handles a subscription's batches. Runs inside the checkpoint's transaction: if it returns, effect and checkpoint
 * commit together; if it throws, neither does, the subscription stops with state {@code FAILED} and the error, and
 * the batch is delivered again when the subscription is restarted.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SubscriptionHandler {
    void handle(EventBatch batch) throws Exception;
}
