// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.AppendConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryAppendConformanceTest extends AppendConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
