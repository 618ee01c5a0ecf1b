// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.store.StreamId;

import java.util.Objects;

/**
 * The state of one stream at a version, stored so that loading can skip the events up to it. The fingerprint
 * identifies the shape of the state class that wrote it ({@link StateFingerprint}); a {@link Repository} ignores a
 * snapshot whose fingerprint differs from its own state class's, and replays the whole stream instead.
 *
 * @param stream      the stream it summarizes
 * @param version     the version of the last event folded into it, 1 or more
 * @param fingerprint {@link StateFingerprint} of the state class
 * @param state       the state as a JSON value in text form
 * @since 0.1
 */
public record Snapshot(StreamId stream, long version, String fingerprint, String state) {
    public Snapshot {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(state, "state");
        if (version < 1) throw new IllegalArgumentException("snapshot version must be >= 1, was " + version);
    }
}
