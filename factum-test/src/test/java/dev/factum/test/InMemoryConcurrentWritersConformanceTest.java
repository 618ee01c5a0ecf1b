// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.ConcurrentWritersConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryConcurrentWritersConformanceTest extends ConcurrentWritersConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
