// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.LeaseStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteLeaseStoreConformanceTest extends LeaseStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
