// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.DeadLetterStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresDeadLetterStoreConformanceTest extends DeadLetterStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
