// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.store.Position;

import java.time.Duration;
import java.util.Optional;

/**
 * A subscription's state as operators see it.
 *
 * @param state      what it is doing
 * @param checkpoint the last position handled and committed
 * @param lagEvents  positions between the checkpoint and the store's head (for a category filter an upper bound: it
 *                   counts other categories' events too)
 * @param lag        how old the oldest not-yet-handled event is, roughly: the time since the last handled event was
 *                   recorded, while events are waiting; zero when caught up
 * @param error      why it stopped, when {@code state} is {@link State#FAILED}
 * @since 0.1
 */
public record SubscriptionStatus(String name, State state, Position checkpoint, long lagEvents, Duration lag,
                                 Optional<String> error) {

    public enum State {
        /** Created or stopped; not reading. */
        STOPPED,
        /** Reading stored events faster than they arrive. */
        CATCHING_UP,
        /** Caught up, waiting for new events. */
        LIVE,
        /** The handler threw; the checkpoint stays before the failed batch. */
        FAILED
    }
}
