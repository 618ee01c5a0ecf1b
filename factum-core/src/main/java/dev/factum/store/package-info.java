// SPDX-License-Identifier: Apache-2.0
/**
 * The event store: {@link dev.factum.store.EventStore}, stream names, the concurrency guard
 * ({@link dev.factum.store.ExpectedVersion}), positions in the global order, and the reference
 * {@link dev.factum.store.InMemoryEventStore}. No nulls cross this API; absent means {@link java.util.Optional}.
 */
package dev.factum.store;
