// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.CheckpointStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryCheckpointStoreConformanceTest extends CheckpointStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
