// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.CommandResultStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteCommandResultStoreConformanceTest extends CommandResultStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
