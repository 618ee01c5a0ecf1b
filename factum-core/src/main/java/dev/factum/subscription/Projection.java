// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import java.util.Optional;

/**
 * A subscription with a read model. {@link Projections} runs it: {@link #apply} gets each batch in position order,
 * inside the checkpoint's transaction, so on SQLite and PostgreSQL a read model written through
 * {@code batch.transaction().connection()} and the checkpoint commit together, or neither does (each event's effect
 * exactly once). In memory there is no transaction: see {@link InMemoryReadModel}.
 *
 * <p>A projection has <em>generations</em>: its read model is built once per generation, and a rebuild builds the
 * next generation from position 0 beside the live one, then switches (see {@link Projections#rebuild}). Keep each
 * generation's read model apart, e.g. one table per generation ({@code customer_names_g2}), created and dropped by
 * {@link #createGeneration} and {@link #dropGeneration}; {@link ProjectionContext#generation()} says which one a batch
 * is for. Effects outside the read model (emails, calls to others) go through {@link ProjectionContext#sideEffects()},
 * which mutes them while a generation is being rebuilt.
 *
 * <p>If {@link #apply} throws, the batch's writes and its checkpoint are rolled back, the projection's state becomes
 * {@link ProjectionStatus.State#FAILED} with the error, and other projections carry on.
 *
 * @since 0.1
 */
public interface Projection {

    /** The projection's name: non-blank, at most 180 characters, no {@code '#'} (it is used for checkpoint names). */
    String name();

    /** Only events of streams of this category; empty (the default) for all events. */
    default Optional<String> category() {
        return Optional.empty();
    }

    /** Writes the batch's effect on the read model of {@code context.generation()}. */
    void apply(EventBatch batch, ProjectionContext context) throws Exception;

    /**
     * Creates an empty read model for a new generation (e.g. {@code CREATE TABLE x_g2}), in the transaction that
     * records the generation. Should tolerate being called again for the same generation after a crash
     * ({@code IF NOT EXISTS}). Does nothing by default.
     */
    default void createGeneration(int generation, StoreTransaction transaction) throws Exception {
    }

    /**
     * Drops the read model of a generation no longer in use (e.g. {@code DROP TABLE IF EXISTS x_g1}), after the
     * switch to a newer one. Does nothing by default.
     */
    default void dropGeneration(int generation, StoreTransaction transaction) throws Exception {
    }
}
