// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.domain;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What happened to an order's payment. Stored under each record's simple name; names and fields are the stored
 * schema, so change them only with an upcaster.
 *
 * @since 0.1
 */
public sealed interface PaymentEvent {

    /** The gateway charged {@code amount} {@code currency} as {@code chargeId}, asked under {@code idempotencyKey}. */
    record PaymentCharged(String idempotencyKey, String chargeId, BigDecimal amount, String currency)
            implements PaymentEvent {
        public PaymentCharged {
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            Objects.requireNonNull(chargeId, "chargeId");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(currency, "currency");
        }
    }

    /** The gateway declined charging {@code amount} {@code currency} under {@code idempotencyKey}, for {@code reason}. */
    record PaymentDeclined(String idempotencyKey, BigDecimal amount, String currency, String reason)
            implements PaymentEvent {
        public PaymentDeclined {
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(currency, "currency");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A refund came before any charge: the payment is void and a later charge is refused. */
    record PaymentVoided() implements PaymentEvent {}

    /** The charge {@code chargeId} of {@code amount} was refunded. */
    record PaymentRefunded(String chargeId, BigDecimal amount) implements PaymentEvent {
        public PaymentRefunded {
            Objects.requireNonNull(chargeId, "chargeId");
            Objects.requireNonNull(amount, "amount");
        }
    }
}
