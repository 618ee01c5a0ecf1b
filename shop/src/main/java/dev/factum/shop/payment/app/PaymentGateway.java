// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.app;

import dev.factum.shop.payment.domain.GatewayReply;

import java.math.BigDecimal;

/**
 * A payment provider as the Payment context sees it. Both calls must be idempotent: a charge under an idempotency key
 * that was already answered answers the same again without charging twice; refunding a charge twice refunds it once.
 * Blocking; thread-safe.
 *
 * @since 0.1
 */
public interface PaymentGateway {

    /** Charges {@code amount} {@code currency} under {@code idempotencyKey}: approved (with a charge id) or declined. */
    GatewayReply charge(String idempotencyKey, BigDecimal amount, String currency);

    /**
     * Refunds the charge {@code chargeId} in full.
     *
     * @throws IllegalArgumentException if the gateway never made that charge
     */
    void refund(String chargeId);
}
