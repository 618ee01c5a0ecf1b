// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.IdempotentCommandConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteIdempotentCommandConformanceTest extends IdempotentCommandConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
