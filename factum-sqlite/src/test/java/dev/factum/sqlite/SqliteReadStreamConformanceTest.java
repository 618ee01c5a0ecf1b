// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.ReadStreamConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteReadStreamConformanceTest extends ReadStreamConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
