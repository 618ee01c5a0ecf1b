// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import dev.factum.FactumException;

import java.util.UUID;

/**
 * No dead letter has the given id.
 *
 * @since 0.1
 */
public class DeadLetterNotFoundException extends FactumException {
    private final UUID id;

    public DeadLetterNotFoundException(UUID id) {
        super("no dead letter " + id);
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
