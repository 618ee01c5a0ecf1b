// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.domain;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What the Payment aggregate decides on: the outcome of a gateway call, to be recorded for order {@link #orderId()}
 * (stream {@code Payment-<orderId>}). Sent by {@link dev.factum.shop.payment.app.PaymentService} after it called the
 * gateway, never by a client. The records refuse only nulls; the rules are {@link Payments#decide}'s.
 *
 * @since 0.1
 */
public sealed interface PaymentCommand {

    /** The order; the aggregate instance id. */
    String orderId();

    /** Records the gateway's {@code reply} to charging {@code amount} {@code currency} under {@code idempotencyKey}. */
    record RecordCharge(String orderId, String idempotencyKey, BigDecimal amount, String currency, GatewayReply reply)
            implements PaymentCommand {
        public RecordCharge {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(currency, "currency");
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** Records that the gateway refunded the order's charge. */
    record RecordRefund(String orderId) implements PaymentCommand {
        public RecordRefund {
            Objects.requireNonNull(orderId, "orderId");
        }
    }
}
