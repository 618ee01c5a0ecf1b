// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.AppendConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresAppendConformanceTest extends AppendConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
