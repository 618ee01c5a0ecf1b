// SPDX-License-Identifier: Apache-2.0
/**
 * The consumer-side inbox: {@link dev.factum.inbox.Inbox#handleOnce} runs a handler's work at most once per
 * (consumer, message id), recorded in the same transaction as the work's effect, so redelivery — which every
 * transport does — has no second effect. Bounded by age or position watermark. No nulls cross this API.
 */
package dev.factum.inbox;
