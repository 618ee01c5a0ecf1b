// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.ReadStreamConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryReadStreamConformanceTest extends ReadStreamConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
