// SPDX-License-Identifier: Apache-2.0
/**
 * The Inventory context's write and read side: {@link dev.factum.shop.inventory.app.InventoryService} puts the Stock
 * aggregate's repository behind a {@link dev.factum.command.CommandBus} and reads stock levels. Nullness: no nulls
 * across the API; absent means {@code Optional}.
 */
package dev.factum.shop.inventory.app;
