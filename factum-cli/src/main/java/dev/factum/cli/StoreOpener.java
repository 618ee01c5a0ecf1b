// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import dev.factum.store.EventStore;

/**
 * Opens the store a command works on. The command line uses {@link #durable()}; tests may hand the CLI another
 * opener (for instance one that counts or wraps the stores it opens).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface StoreOpener {

    /**
     * Opens the store; the caller closes it.
     *
     * @throws dev.factum.store.EventStoreException if the store cannot be reached or created
     */
    EventStore open(StoreTarget target);

    /** SQLite files through {@code factum-sqlite}, PostgreSQL URLs through {@code factum-postgres}. */
    static StoreOpener durable() {
        return DurableStores::open;
    }
}
