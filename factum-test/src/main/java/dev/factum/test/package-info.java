// SPDX-License-Identifier: Apache-2.0
/**
 * Given-when-then fixtures, thin layers over the real engine: {@link dev.factum.test.AggregateFixture} folds given
 * events with an aggregate's own {@code evolve}, runs its {@code decide} and asserts the outcome with
 * {@link dev.factum.test.AggregateThen} (new events, a refusal, the resulting state), or runs the command through the
 * real repository over an in-memory store to check the events as stored; {@link dev.factum.test.ProjectionFixture}
 * feeds given events as recorded events to the real projection against a fresh read model and hands that to the
 * test's assertions. Failures are AssertJ {@link java.lang.AssertionError}s showing expected and actual. No nulls
 * cross this API; absent means {@link java.util.Optional}.
 */
package dev.factum.test;
