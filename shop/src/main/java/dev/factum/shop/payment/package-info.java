// SPDX-License-Identifier: Apache-2.0
/**
 * The Payment context: charges and refunds of orders (stream {@code Payment-<orderId>}) through a
 * {@link dev.factum.shop.payment.app.PaymentGateway} — in this reference shop always the
 * {@link dev.factum.shop.payment.app.PaymentGatewaySimulator}, never a real payment provider. A participant of the order
 * saga. Nullness: no nulls across the API; absent means {@code Optional}.
 */
package dev.factum.shop.payment;
