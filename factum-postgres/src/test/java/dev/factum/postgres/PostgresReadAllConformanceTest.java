// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.ReadAllConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresReadAllConformanceTest extends ReadAllConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
