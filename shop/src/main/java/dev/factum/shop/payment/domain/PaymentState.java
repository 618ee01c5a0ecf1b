// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.domain;

import dev.factum.shop.payment.domain.PaymentEvent.PaymentCharged;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentDeclined;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentRefunded;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentVoided;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An order's payment: its status, the charge (key, gateway id, amount; empty strings and zero until charged) and the
 * declines by idempotency key (key → reason). {@link #NONE} is an order never charged.
 *
 * @param status      where the payment is
 * @param chargedKey  the idempotency key of the approved charge; empty until charged
 * @param chargeId    the gateway's id of the charge; empty until charged
 * @param amount      the charged amount; zero until charged
 * @param currency    the charged currency; empty until charged
 * @param declines    reason per declined idempotency key
 * @since 0.1
 */
public record PaymentState(PaymentStatus status, String chargedKey, String chargeId, BigDecimal amount, String currency,
                           Map<String, String> declines) {
    /** An order never charged. */
    public static final PaymentState NONE = new PaymentState(PaymentStatus.NONE, "", "", BigDecimal.ZERO, "", Map.of());

    public PaymentState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(chargedKey, "chargedKey");
        Objects.requireNonNull(chargeId, "chargeId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        declines = Map.copyOf(declines);
    }

    /** Whether an approved charge was recorded (charged now, or refunded since). */
    public boolean charged() {
        return status == PaymentStatus.CHARGED || status == PaymentStatus.REFUNDED;
    }

    /** The reason the charge under {@code idempotencyKey} was declined, if it was. */
    public Optional<String> declineReason(String idempotencyKey) {
        return Optional.ofNullable(declines.get(idempotencyKey));
    }

    /** The state after {@code event}; an exhaustive switch. */
    public PaymentState evolve(PaymentEvent event) {
        return switch (event) {
            case PaymentCharged c -> new PaymentState(PaymentStatus.CHARGED, c.idempotencyKey(), c.chargeId(),
                    c.amount(), c.currency(), declines);
            case PaymentDeclined d -> {
                Map<String, String> more = new LinkedHashMap<>(declines);
                more.put(d.idempotencyKey(), d.reason());
                yield new PaymentState(PaymentStatus.DECLINED, chargedKey, chargeId, amount, currency, more);
            }
            case PaymentRefunded r -> new PaymentState(PaymentStatus.REFUNDED, chargedKey, chargeId, amount, currency,
                    declines);
            case PaymentVoided v -> new PaymentState(PaymentStatus.VOIDED, chargedKey, chargeId, amount, currency,
                    declines);
        };
    }
}
