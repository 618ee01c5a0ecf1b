// SPDX-License-Identifier: Apache-2.0
/**
 * The Inventory context's domain: the {@link dev.factum.shop.inventory.domain.Stocks#AGGREGATE Stock aggregate}, its
 * sealed {@link dev.factum.shop.inventory.domain.StockEvent events} and
 * {@link dev.factum.shop.inventory.domain.StockCommand commands}, and the named rules
 * ({@link dev.factum.shop.inventory.domain.StockRules}). Pure: no I/O, no clock, no store. Nullness: no nulls across
 * the API; absent means {@code Optional}.
 */
package dev.factum.shop.inventory.domain;
