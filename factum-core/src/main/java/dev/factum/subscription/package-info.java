// SPDX-License-Identifier: Apache-2.0
/**
 * Subscriptions: readers that catch up from a {@link dev.factum.subscription.Checkpoint}, then follow the store live,
 * delivering batches in position order, with the checkpoint committed in the handler's transaction.
 */
package dev.factum.subscription;
