// SPDX-License-Identifier: Apache-2.0
/**
 * The Order context's domain: the {@link dev.factum.shop.order.domain.Orders#AGGREGATE Order aggregate}, its sealed
 * {@link dev.factum.shop.order.domain.OrderEvent events}, {@link dev.factum.shop.order.domain.OrderCommand commands},
 * {@link dev.factum.shop.order.domain.OrderState state} and the rules of the order lifecycle
 * ({@link dev.factum.shop.order.domain.OrderRules}). Pure: no I/O, no clock, no store; every refusal is a
 * {@link dev.factum.aggregate.RuleViolationException} naming its rule. Nullness: no nulls across the API; absent means
 * {@code Optional}.
 */
package dev.factum.shop.order.domain;
