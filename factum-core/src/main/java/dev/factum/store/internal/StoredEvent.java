// SPDX-License-Identifier: Apache-2.0
package dev.factum.store.internal;

import dev.factum.event.NewEvent;
import dev.factum.store.Position;
import dev.factum.store.StreamId;

/** An event as planned or found in storage: what the planner needs to check idempotency. Store SPI. */
public record StoredEvent(StreamId stream, long version, Position position, NewEvent event) {
}
