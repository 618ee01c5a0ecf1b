// SPDX-License-Identifier: Apache-2.0
/**
 * Durable sagas: a {@link dev.factum.saga.SagaDefinition} read top-down (steps, each with an action and a
 * compensation), run by a {@link dev.factum.saga.SagaEngine} whose every transition is a
 * {@link dev.factum.saga.SagaEvent} in the saga's own stream of the event store. The stream is the saga's state
 * (rebuilt by replay), its timeline, its lock (optimistic concurrency: two engines never drive one saga at once) and
 * its timer (due times are stored in the events, so timeouts and retries fire after a restart too).
 */
package dev.factum.saga;
