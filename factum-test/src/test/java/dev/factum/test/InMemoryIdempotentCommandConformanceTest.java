// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.IdempotentCommandConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryIdempotentCommandConformanceTest extends IdempotentCommandConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
