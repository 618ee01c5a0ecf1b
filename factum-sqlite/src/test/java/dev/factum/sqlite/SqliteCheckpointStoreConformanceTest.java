// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.CheckpointStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteCheckpointStoreConformanceTest extends CheckpointStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
