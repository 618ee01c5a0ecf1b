// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.ReadStreamConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresReadStreamConformanceTest extends ReadStreamConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
