// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.DeadLetterStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteDeadLetterStoreConformanceTest extends DeadLetterStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
