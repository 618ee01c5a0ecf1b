// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.ConcurrentWritersConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresConcurrentWritersConformanceTest extends ConcurrentWritersConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
