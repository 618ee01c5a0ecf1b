// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import dev.factum.FactumException;

/**
 * The store was used after {@link EventStore#close()}. An append refused this way wrote nothing.
 *
 * @since 0.1
 */
public final class StoreClosedException extends FactumException {
    public StoreClosedException(String store) {
        super(store + " is closed");
    }
}
