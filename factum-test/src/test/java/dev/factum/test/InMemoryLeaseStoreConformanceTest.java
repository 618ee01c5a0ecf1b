// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.LeaseStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryLeaseStoreConformanceTest extends LeaseStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
