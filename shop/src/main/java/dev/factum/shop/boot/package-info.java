// SPDX-License-Identifier: Apache-2.0
/**
 * Starts the shop: {@link dev.factum.shop.boot.ShopMain} wires an event store (SQLite by default, PostgreSQL on
 * request), the command bus with the Order handlers, and the HTTP server. No nulls cross the API.
 *
 * @since 0.1
 */
package dev.factum.shop.boot;
