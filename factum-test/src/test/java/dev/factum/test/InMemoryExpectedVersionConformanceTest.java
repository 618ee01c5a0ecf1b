// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.ExpectedVersionConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryExpectedVersionConformanceTest extends ExpectedVersionConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
