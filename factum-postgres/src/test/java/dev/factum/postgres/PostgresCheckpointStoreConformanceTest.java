// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.CheckpointStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresCheckpointStoreConformanceTest extends CheckpointStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
