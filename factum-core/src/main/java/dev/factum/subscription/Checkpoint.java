// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.store.Position;

import java.util.Objects;

/**
 * The last position a subscription has fully handled, stored durably by a {@link CheckpointStore} in the same
 * transaction as the handler's effect when they share a database.
 *
 * @param subscription the subscription's name: non-blank, at most 200 characters
 * @since 0.1
 */
public record Checkpoint(String subscription, Position position) {
    public Checkpoint {
        requireName(subscription);
        Objects.requireNonNull(position, "position");
    }

    static void requireName(String subscription) {
        if (subscription == null || subscription.isBlank()) throw new IllegalArgumentException("subscription name is blank");
        if (subscription.length() > 200) throw new IllegalArgumentException("subscription name is longer than 200 characters");
    }
}
