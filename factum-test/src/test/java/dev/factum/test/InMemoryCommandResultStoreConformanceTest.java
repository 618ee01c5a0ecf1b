// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.CommandResultStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryCommandResultStoreConformanceTest extends CommandResultStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
