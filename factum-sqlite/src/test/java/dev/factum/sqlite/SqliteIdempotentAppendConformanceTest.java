// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.IdempotentAppendConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteIdempotentAppendConformanceTest extends IdempotentAppendConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
