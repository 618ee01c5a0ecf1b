// SPDX-License-Identifier: Apache-2.0
/**
 * The Inventory context's HTTP endpoints ({@link dev.factum.shop.inventory.http.StockRoutes}), added to the shop's
 * server as a {@link dev.factum.shop.http.RouteSet}. Nullness: no nulls across the API; absent means {@code Optional}.
 */
package dev.factum.shop.inventory.http;
