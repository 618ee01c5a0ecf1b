// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.InboxConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteInboxConformanceTest extends InboxConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
