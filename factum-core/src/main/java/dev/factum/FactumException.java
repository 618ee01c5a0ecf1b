// SPDX-License-Identifier: Apache-2.0
package dev.factum;

/**
 * Root of Factum's small unchecked exception hierarchy. Every failure Factum raises on purpose is a subtype that
 * carries its data in accessors, so callers never parse messages.
 *
 * @since 0.1
 */
public class FactumException extends RuntimeException {
    public FactumException(String message) {
        super(message);
    }

    public FactumException(String message, Throwable cause) {
        super(message, cause);
    }
}
