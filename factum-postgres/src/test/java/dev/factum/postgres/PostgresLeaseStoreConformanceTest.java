// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.LeaseStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresLeaseStoreConformanceTest extends LeaseStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
