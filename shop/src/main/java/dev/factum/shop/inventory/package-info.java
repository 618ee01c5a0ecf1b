// SPDX-License-Identifier: Apache-2.0
/**
 * The Inventory context: stock per SKU (stream {@code Stock-<sku>}), set by an operator, reserved for orders and
 * released again, never negative. A participant of the order saga; it talks to other contexts only through commands
 * and events. Nullness: no nulls across the API; absent means {@code Optional}.
 */
package dev.factum.shop.inventory;
