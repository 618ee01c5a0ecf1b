// SPDX-License-Identifier: Apache-2.0
/**
 * The Payment context's domain: the {@link dev.factum.shop.payment.domain.Payments#AGGREGATE Payment aggregate}, which
 * records what the gateway answered ({@link dev.factum.shop.payment.domain.GatewayReply}), its sealed
 * {@link dev.factum.shop.payment.domain.PaymentEvent events} and the named rules
 * ({@link dev.factum.shop.payment.domain.PaymentRules}). Pure: the gateway is called by the application layer, before
 * the aggregate decides. Nullness: no nulls across the API; absent means {@code Optional}.
 */
package dev.factum.shop.payment.domain;
