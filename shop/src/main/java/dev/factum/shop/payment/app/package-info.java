// SPDX-License-Identifier: Apache-2.0
/**
 * The Payment context's application layer: {@link dev.factum.shop.payment.app.PaymentService} handles
 * {@link dev.factum.shop.payment.app.ChargePayment} and {@link dev.factum.shop.payment.app.RefundPayment} on a
 * {@link dev.factum.command.CommandBus}, calling a {@link dev.factum.shop.payment.app.PaymentGateway} — the
 * {@link dev.factum.shop.payment.app.PaymentGatewaySimulator} in this shop — and recording its replies in the Payment
 * aggregate. Nullness: no nulls across the API; absent means {@code Optional}.
 */
package dev.factum.shop.payment.app;
