// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.ExpectedVersionConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteExpectedVersionConformanceTest extends ExpectedVersionConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
