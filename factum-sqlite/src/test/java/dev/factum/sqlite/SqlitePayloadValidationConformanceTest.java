// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.PayloadValidationConformance;
import dev.factum.test.conformance.StoreFixture;

class SqlitePayloadValidationConformanceTest extends PayloadValidationConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
