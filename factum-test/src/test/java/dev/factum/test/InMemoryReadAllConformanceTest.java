// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.ReadAllConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryReadAllConformanceTest extends ReadAllConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
