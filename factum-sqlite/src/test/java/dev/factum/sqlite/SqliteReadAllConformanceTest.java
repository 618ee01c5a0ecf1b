// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.ReadAllConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteReadAllConformanceTest extends ReadAllConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
