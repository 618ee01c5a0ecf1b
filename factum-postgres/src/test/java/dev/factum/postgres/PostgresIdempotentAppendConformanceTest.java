// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.IdempotentAppendConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresIdempotentAppendConformanceTest extends IdempotentAppendConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
