// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.SnapshotStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteSnapshotStoreConformanceTest extends SnapshotStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
