// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.IdempotentAppendConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryIdempotentAppendConformanceTest extends IdempotentAppendConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
