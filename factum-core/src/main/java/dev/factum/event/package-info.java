// SPDX-License-Identifier: Apache-2.0
/**
 * Events as written ({@link dev.factum.event.NewEvent}) and as read ({@link dev.factum.event.RecordedEvent}), and
 * their {@link dev.factum.event.Metadata}. No nulls cross this API; absent means {@link java.util.Optional}.
 */
package dev.factum.event;
