// SPDX-License-Identifier: Apache-2.0
/**
 * The store conformance suites: one abstract JUnit 5 class per concern ({@code AppendConformance},
 * {@code ExpectedVersionConformance}, {@code IdempotentAppendConformance}, {@code ReadStreamConformance},
 * {@code ReadAllConformance}, {@code ConcurrentWritersConformance}, {@code PayloadValidationConformance},
 * {@code CheckpointStoreConformance}, {@code SubscriptionConformance}, {@code SnapshotStoreConformance},
 * {@code CommandResultStoreConformance}, {@code IdempotentCommandConformance}, {@code InboxConformance},
 * {@code DeadLetterStoreConformance}, {@code LeaseStoreConformance}). A store certifies itself with one-line
 * subclasses that override {@code createFixture()} to hand back a {@link dev.factum.test.conformance.StoreFixture} over
 * an empty database. Differences between stores are declared as data in
 * {@link dev.factum.test.conformance.StoreCapabilities} and select an alternative assertion; a suite never skips. No
 * nulls cross this API; absent means {@link java.util.Optional}.
 */
package dev.factum.test.conformance;
