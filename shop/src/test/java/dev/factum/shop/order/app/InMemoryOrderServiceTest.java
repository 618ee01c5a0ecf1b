// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.app;

import dev.factum.store.EventStore;
import dev.factum.store.InMemoryEventStore;

/** The Order write side over the reference in-memory store. */
class InMemoryOrderServiceTest extends OrderServiceContract {
    @Override
    EventStore openStore() {
        return new InMemoryEventStore();
    }
}
