// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.DeadLetterStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryDeadLetterStoreConformanceTest extends DeadLetterStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
