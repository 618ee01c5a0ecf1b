// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.PayloadValidationConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresPayloadValidationConformanceTest extends PayloadValidationConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
