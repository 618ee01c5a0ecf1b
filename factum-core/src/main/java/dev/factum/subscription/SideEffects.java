// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.event.RecordedEvent;
import dev.factum.store.Position;

import java.util.function.Supplier;

/**
 * Runs a projection's effects outside its read model (an email, a call to another service) only when they are due:
 * for an event the live generation handles, not for the replay of a rebuild. A generation being rebuilt has all its
 * effects muted; when it becomes the active one, its effects run for the events after the last one the old
 * generation handled, so around the switch each effect runs once.
 *
 * <p>The effect runs on the projection's thread, inside the batch's transaction: if it or a later write of the batch
 * fails, the batch is delivered again on restart and the effect may run again (at least once). Make effects idempotent
 * or hand them to an outbox.
 *
 * @since 0.1
 */
public final class SideEffects {
    private static final SideEffects LIVE = new SideEffects(() -> Position.BEGINNING);
    private static final SideEffects MUTED = new SideEffects(() -> new Position(Long.MAX_VALUE));

    private final Supplier<Position> mutedThrough;

    SideEffects(Supplier<Position> mutedThrough) {
        this.mutedThrough = mutedThrough;
    }

    /** Effects that always run (e.g. a projection fed by hand in a test). */
    public static SideEffects live() {
        return LIVE;
    }

    /** Effects that never run. */
    public static SideEffects muted() {
        return MUTED;
    }

    /** True if an effect caused by {@code event} would run now. */
    public boolean due(RecordedEvent event) {
        return event.position().isAfter(mutedThrough.get());
    }

    /**
     * Runs {@code effect} if it is due for {@code event} and returns whether it ran. Exceptions of the effect
     * propagate (failing the batch).
     */
    public boolean run(RecordedEvent event, Effect effect) throws Exception {
        if (!due(event)) return false;
        effect.run();
        return true;
    }

    /**
     * An effect outside the read model.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Effect {
        void run() throws Exception;
    }
}
