// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.domain;

import java.util.Objects;

/**
 * What a payment gateway answered to a charge: approved under a charge id, or declined for a reason. A decline is a
 * business "no", an answer like any other — not an exception.
 *
 * @since 0.1
 */
public sealed interface GatewayReply {

    /** The charge went through; {@code chargeId} names it at the gateway (for a refund). */
    record Approved(String chargeId) implements GatewayReply {
        public Approved {
            Objects.requireNonNull(chargeId, "chargeId");
        }
    }

    /** The gateway refused the charge, for {@code reason}. */
    record Declined(String reason) implements GatewayReply {
        public Declined {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
