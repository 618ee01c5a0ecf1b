// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.store.AppendResult;
import dev.factum.store.StreamId;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Repository#handle} did: the events the command caused, where they were appended, and the state after
 * them.
 *
 * @param stream   the instance's stream
 * @param state    the state after the new events
 * @param version  the stream's version after the new events (the loaded version if there were none)
 * @param events   the new events, possibly none
 * @param append   where the events landed (versions, positions); empty when the command caused no events and
 *                 nothing was appended
 * @param attempts how many times the command was decided, 1 unless a concurrent writer forced a retry
 * @since 0.1
 */
public record HandledCommand<S, E>(StreamId stream, S state, long version, List<E> events,
                                   Optional<AppendResult> append, int attempts) {
    public HandledCommand {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(state, "state");
        events = List.copyOf(events);
        Objects.requireNonNull(append, "append");
    }
}
