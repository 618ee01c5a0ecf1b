// SPDX-License-Identifier: Apache-2.0
/**
 * The Order context's write side: {@link dev.factum.shop.order.app.OrderService} puts the Order aggregate's
 * {@link dev.factum.aggregate.Repository} behind a {@link dev.factum.command.CommandBus}, so that the events of a
 * command carry its correlation id, causation id and user, and answers each command with the order's new version and
 * position. {@link dev.factum.shop.order.app.ExpectingVersion} carries a client's {@code If-Match}. Nullness: no nulls
 * across the API; absent means {@code Optional}.
 */
package dev.factum.shop.order.app;
