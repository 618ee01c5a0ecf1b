// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.PayloadValidationConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryPayloadValidationConformanceTest extends PayloadValidationConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
