// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.domain;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.RuleViolationException;
import dev.factum.shop.payment.domain.GatewayReply.Approved;
import dev.factum.shop.payment.domain.GatewayReply.Declined;
import dev.factum.shop.payment.domain.PaymentCommand.RecordCharge;
import dev.factum.shop.payment.domain.PaymentCommand.RecordRefund;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentCharged;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentDeclined;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentRefunded;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentVoided;

import java.util.List;

/**
 * The Payment aggregate: streams {@code Payment-<orderId>}, initial state {@link PaymentState#NONE}. It records the
 * gateway's replies, idempotently: a charge whose idempotency key was already answered (approved or declined) and a
 * refund of a payment that is not charged decide no event. A charge under a new key after an approved one is refused
 * ({@link PaymentRules#ALREADY_CHARGED}); after a decline it may be approved.
 *
 * @since 0.1
 */
public final class Payments {
    /** The stream category of payments. */
    public static final String CATEGORY = "Payment";

    /** The aggregate definition; its codec stores the {@link PaymentEvent} records under their simple names. */
    public static final Aggregate<PaymentState, PaymentEvent, PaymentCommand> AGGREGATE =
            Aggregate.builder(CATEGORY, PaymentState.class, PaymentEvent.class, PaymentCommand.class)
                    .initialState(PaymentState.NONE)
                    .evolve(PaymentState::evolve)
                    .decide(Payments::decide)
                    .build();

    private Payments() {
    }

    /**
     * The events {@code command} causes on {@code payment}: one, or none for an idempotent repeat.
     *
     * @throws RuleViolationException if a rule of {@link PaymentRules} refuses it
     */
    public static List<PaymentEvent> decide(PaymentState payment, PaymentCommand command) {
        return switch (command) {
            case RecordCharge c -> charge(payment, c);
            case RecordRefund r -> switch (payment.status()) {
                case CHARGED -> List.of(new PaymentRefunded(payment.chargeId(), payment.amount()));
                // nothing to give back, but a charge still on its way must not be taken after this refund
                case NONE, DECLINED -> List.of(new PaymentVoided());
                case REFUNDED, VOIDED -> List.of();
            };
        };
    }

    private static List<PaymentEvent> charge(PaymentState payment, RecordCharge c) {
        PaymentRules.requireValidCharge(c.orderId(), c.idempotencyKey(), c.amount(), c.currency());
        PaymentRules.requireNotVoided(payment, c.orderId());
        if (payment.charged() && payment.chargedKey().equals(c.idempotencyKey())) return List.of();
        PaymentRules.requireNotChargedByAnotherKey(payment, c.orderId(), c.idempotencyKey());
        if (payment.declineReason(c.idempotencyKey()).isPresent()) return List.of();
        return List.of(switch (c.reply()) {
            case Approved a -> new PaymentCharged(c.idempotencyKey(), a.chargeId(), c.amount(), c.currency());
            case Declined d -> new PaymentDeclined(c.idempotencyKey(), c.amount(), c.currency(), d.reason());
        });
    }
}
