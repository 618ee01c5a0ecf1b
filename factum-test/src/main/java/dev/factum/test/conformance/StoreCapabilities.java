// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import java.time.temporal.ChronoUnit;

/**
 * How a store differs, declared as data so a suite can select the matching assertion instead of skipping.
 *
 * @param timestampPrecision       finest unit of {@code RecordedEvent.recordedAt()} the store keeps
 * @param transactionalCheckpoints the checkpoint and inbox transactions expose a JDBC connection the handler can write
 *                                 through
 * @param multipleInstances        several store instances (processes) may append to one database at once
 * @since 0.1
 */
public record StoreCapabilities(ChronoUnit timestampPrecision, boolean transactionalCheckpoints, boolean multipleInstances) {
}
