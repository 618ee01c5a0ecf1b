// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.SnapshotStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresSnapshotStoreConformanceTest extends SnapshotStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
