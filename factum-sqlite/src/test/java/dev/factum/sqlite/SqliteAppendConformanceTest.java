// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.AppendConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteAppendConformanceTest extends AppendConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
