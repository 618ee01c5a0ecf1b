// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;

import java.util.Objects;

/**
 * One aggregate instance as loaded: its state and the version of the last event folded into it. A stream without
 * events loads as the initial state at version 0.
 *
 * @param stream  the instance's stream
 * @param state   the state after all its events
 * @param version the stream's version the state reflects; 0 for a new stream
 * @since 0.1
 */
public record LoadedState<S>(StreamId stream, S state, long version) {
    public LoadedState {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(state, "state");
        if (version < 0) throw new IllegalArgumentException("version must be >= 0, was " + version);
    }

    /** Whether the stream has events. */
    public boolean exists() {
        return version > 0;
    }

    /** The guard for appending after this state: {@code noStream()} at version 0, else {@code exactly(version)}. */
    public ExpectedVersion expectedVersion() {
        return version == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
    }
}
