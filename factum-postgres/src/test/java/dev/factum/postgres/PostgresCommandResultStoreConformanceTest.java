// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.CommandResultStoreConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresCommandResultStoreConformanceTest extends CommandResultStoreConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
