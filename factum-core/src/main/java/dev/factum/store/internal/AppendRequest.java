// SPDX-License-Identifier: Apache-2.0
package dev.factum.store.internal;

import dev.factum.event.NewEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;

import java.util.List;

/** One caller's append, validated, waiting to be planned and written. Store SPI, not for applications. */
public record AppendRequest(StreamId stream, ExpectedVersion expected, List<NewEvent> events) {
    public AppendRequest {
        events = List.copyOf(events);
    }
}
