// SPDX-License-Identifier: Apache-2.0
/**
 * Durable sagas: a {@link dev.factum.saga.SagaDefinition} read top-down (steps, each with an action and a
 * compensation), run by a {@link dev.factum.saga.SagaEngine} whose every transition is a
 * {@link dev.factum.saga.SagaEvent} in the saga's own stream of the event store. The stream is the saga's state
 * (rebuilt by replay), its timeline, its lock (optimistic concurrency: two engines never drive one saga at once) and
 * its timer (due times are stored in the events, so timeouts and retries fire after a restart too). A step's action
 * may call a remote participant over any transport: it sends a request built by {@link dev.factum.saga.SagaMessages},
 * answers {@link dev.factum.saga.SagaReply#awaiting()}, and the participant's reply is delivered with
 * {@link dev.factum.saga.SagaEngine#deliver} or {@link dev.factum.saga.SagaEngine#replyHandler()}.
 */
package dev.factum.saga;
