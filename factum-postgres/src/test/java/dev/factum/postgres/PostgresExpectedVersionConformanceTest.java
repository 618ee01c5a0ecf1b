// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.ExpectedVersionConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresExpectedVersionConformanceTest extends ExpectedVersionConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
