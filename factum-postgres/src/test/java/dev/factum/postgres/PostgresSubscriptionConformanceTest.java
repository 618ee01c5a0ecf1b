// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.test.conformance.SubscriptionConformance;
import dev.factum.test.conformance.StoreFixture;

class PostgresSubscriptionConformanceTest extends SubscriptionConformance {
    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
