// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.InboxConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresInboxConformanceTest extends InboxConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
