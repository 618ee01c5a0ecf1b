// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.ConcurrentWritersConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteConcurrentWritersConformanceTest extends ConcurrentWritersConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
