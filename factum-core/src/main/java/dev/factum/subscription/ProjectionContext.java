// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import java.util.Objects;

/**
 * What a projection needs to know about the batch in hand besides its events.
 *
 * @param projection  the projection's name
 * @param generation  the generation whose read model this batch is for (1, 2, …)
 * @param rebuilding  true while this generation is being built beside the active one (queries do not read it yet)
 * @param sideEffects runs effects outside the read model only when they are due: muted while rebuilding
 * @since 0.1
 */
public record ProjectionContext(String projection, int generation, boolean rebuilding, SideEffects sideEffects) {
    public ProjectionContext {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(sideEffects, "sideEffects");
        if (generation < 1) throw new IllegalArgumentException("generation must be >= 1, was " + generation);
    }
}
