// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.test.conformance.InboxConformance;
import dev.factum.test.conformance.StoreFixture;

class InMemoryInboxConformanceTest extends InboxConformance {
    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
