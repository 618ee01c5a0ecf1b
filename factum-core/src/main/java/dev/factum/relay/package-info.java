// SPDX-License-Identifier: Apache-2.0
/**
 * The relay (transactional outbox): a {@link dev.factum.relay.Relay} reads the event store from its checkpoint and
 * publishes to a {@link dev.factum.transport.Transport}, saving the checkpoint only after the broker confirmed, under
 * a {@link dev.factum.relay.LeaseStore} lease so one process sends per relay name. No nulls cross this API.
 */
package dev.factum.relay;
