// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.test.conformance.SubscriptionConformance;
import dev.factum.test.conformance.StoreFixture;

class SqliteSubscriptionConformanceTest extends SubscriptionConformance {
    @Override
    protected StoreFixture createFixture() {
        return new SqliteStoreFixture();
    }
}
