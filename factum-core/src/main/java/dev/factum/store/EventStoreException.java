// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import dev.factum.FactumException;

/**
 * The storage underneath failed (I/O, a lost connection, a full disk). The message names the operation; the cause is
 * the driver's exception. For an append, the transaction was rolled back: nothing of it was written unless the
 * failure happened while the commit itself was in flight, which is why appends carry event ids (retrying an append
 * with the same ids is harmless).
 *
 * @since 0.1
 */
public class EventStoreException extends FactumException {
    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
