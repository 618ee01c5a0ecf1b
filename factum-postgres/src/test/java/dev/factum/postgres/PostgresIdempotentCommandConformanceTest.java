// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.IdempotentCommandConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresIdempotentCommandConformanceTest extends IdempotentCommandConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
