// SPDX-License-Identifier: Apache-2.0
/**
 * Subscriptions and projections: a {@link dev.factum.subscription.Subscription} catches up from its
 * {@link dev.factum.subscription.Checkpoint}, then follows the store live, delivering batches in position order with
 * the checkpoint committed in the handler's transaction; a {@link dev.factum.subscription.Projection} is a
 * subscription with a read model, run by {@link dev.factum.subscription.Projections}, which rebuilds it beside the
 * live one without downtime (generations, switched when caught up), mutes its side effects during a rebuild and
 * reports its {@link dev.factum.subscription.ProjectionStatus}. No nulls cross this API; absent values are
 * {@code Optional}.
 */
package dev.factum.subscription;
