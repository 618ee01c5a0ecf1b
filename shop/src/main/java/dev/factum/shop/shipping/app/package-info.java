// SPDX-License-Identifier: Apache-2.0
/**
 * The Shipping context's write side: {@link dev.factum.shop.shipping.app.ShippingService} puts the Shipment
 * aggregate's repository behind a {@link dev.factum.command.CommandBus}. Nullness: no nulls across the API; absent
 * means {@code Optional}.
 */
package dev.factum.shop.shipping.app;
