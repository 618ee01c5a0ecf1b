// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.store.Position;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A projection's state as operators see it.
 *
 * @param name             the projection's name
 * @param activeGeneration the generation queries read
 * @param state            what it is doing
 * @param checkpoint       the active generation's checkpoint: the last position its read model shows
 * @param lagEvents        positions between the checkpoint and the store's head (an upper bound with a category)
 * @param lag              roughly how old the oldest not-yet-handled event is; zero when caught up
 * @param error            why it failed, when {@code state} is {@link State#FAILED}
 * @param rebuild          the rebuild in progress, if any
 * @since 0.1
 */
public record ProjectionStatus(String name, int activeGeneration, State state, Position checkpoint, long lagEvents,
                               Duration lag, Optional<String> error, Optional<Rebuild> rebuild) {
    public ProjectionStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(lag, "lag");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(rebuild, "rebuild");
    }

    /**
     * What a projection is doing.
     *
     * @since 0.1
     */
    public enum State {
        /** Not running. */
        STOPPED,
        /** Running, reading stored events faster than they arrive. */
        CATCHING_UP,
        /** Running and caught up, waiting for new events. */
        LIVE,
        /** Running, and building a new generation beside the active one (see {@link #rebuild()}). */
        REBUILDING,
        /** The active generation, or the one being rebuilt, failed: see {@link #error()}. */
        FAILED
    }

    /**
     * Progress of a rebuild.
     *
     * @param generation the generation being built
     * @param position   its checkpoint
     * @param head       the store's head position when the status was taken
     * @since 0.1
     */
    public record Rebuild(int generation, Position position, Position head) {
        /** How far the rebuild is, from 0 to 1 (positions of other categories count too). */
        public double progress() {
            return head.value() == 0 ? 1.0 : Math.min(1.0, (double) position.value() / head.value());
        }
    }
}
