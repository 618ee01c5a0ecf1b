// SPDX-License-Identifier: Apache-2.0
/**
 * Aggregates as plain functions over records: an {@link dev.factum.aggregate.Aggregate} definition (initial state,
 * {@code evolve}, {@code decide} over a sealed interface of events), a {@link dev.factum.aggregate.Repository} that
 * loads by replay and appends with the loaded version as the concurrency guard, retrying on a concurrent writer, and
 * optional {@link dev.factum.aggregate.Snapshot}s tagged with a {@link dev.factum.aggregate.StateFingerprint} of the
 * state's shape. No nulls cross this API; absent means {@link java.util.Optional}.
 */
package dev.factum.aggregate;
