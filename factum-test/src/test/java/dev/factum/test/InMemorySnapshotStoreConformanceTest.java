// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.SnapshotStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemorySnapshotStoreConformanceTest extends SnapshotStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
