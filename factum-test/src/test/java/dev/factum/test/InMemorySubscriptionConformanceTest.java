// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.SubscriptionConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemorySubscriptionConformanceTest extends SubscriptionConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
