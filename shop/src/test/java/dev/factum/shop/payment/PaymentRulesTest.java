// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment;

import dev.factum.shop.payment.domain.GatewayReply.Approved;
import dev.factum.shop.payment.domain.GatewayReply.Declined;
import dev.factum.shop.payment.domain.PaymentCommand;
import dev.factum.shop.payment.domain.PaymentCommand.RecordCharge;
import dev.factum.shop.payment.domain.PaymentCommand.RecordRefund;
import dev.factum.shop.payment.domain.PaymentEvent;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentCharged;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentDeclined;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentRefunded;
import dev.factum.shop.payment.domain.PaymentEvent.PaymentVoided;
import dev.factum.shop.payment.domain.PaymentState;
import dev.factum.shop.payment.domain.PaymentStatus;
import dev.factum.shop.payment.domain.Payments;
import dev.factum.test.AggregateFixture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static dev.factum.shop.payment.domain.PaymentRules.*;

/** Every payment rule through the aggregate's decide and evolve (AggregateFixture). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PaymentRulesTest {
    static final String ORDER = AggregateFixture.INSTANCE_ID;
    static final BigDecimal AMOUNT = new BigDecimal("39.98");
    static final PaymentCharged CHARGED = new PaymentCharged("k-1", "ch-1", AMOUNT, "EUR");
    static final PaymentDeclined DECLINED = new PaymentDeclined("k-1", AMOUNT, "EUR", "card declined");

    final AggregateFixture<PaymentState, PaymentEvent, PaymentCommand> none = AggregateFixture.of(Payments.AGGREGATE);
    final AggregateFixture<PaymentState, PaymentEvent, PaymentCommand> charged = none.given(CHARGED);
    final AggregateFixture<PaymentState, PaymentEvent, PaymentCommand> declined = none.given(DECLINED);
    final AggregateFixture<PaymentState, PaymentEvent, PaymentCommand> refunded =
            charged.given(new PaymentRefunded("ch-1", AMOUNT));

    static RecordCharge approved(String key) {
        return new RecordCharge(ORDER, key, AMOUNT, "EUR", new Approved("ch-" + key));
    }

    @Nested
    class Charge {
        @Test
        void an_approved_reply_is_recorded_as_charged() {
            none.when(new RecordCharge(ORDER, "k-1", AMOUNT, "EUR", new Approved("ch-1"))).then(CHARGED)
                    .thenState(p -> p.status() == PaymentStatus.CHARGED && p.chargeId().equals("ch-1"));
        }

        @Test
        void a_declined_reply_is_recorded_as_declined_not_refused() {
            none.when(new RecordCharge(ORDER, "k-1", AMOUNT, "EUR", new Declined("card declined"))).then(DECLINED)
                    .thenState(p -> p.status() == PaymentStatus.DECLINED
                            && p.declineReason("k-1").orElseThrow().equals("card declined"));
        }

        @Test
        void the_same_key_again_after_a_charge_changes_nothing() {
            charged.when(approved("k-1")).thenNothing();
        }

        @Test
        void the_same_key_again_after_a_decline_changes_nothing_even_if_now_approved() {
            declined.when(approved("k-1")).thenNothing().thenState(p -> p.status() == PaymentStatus.DECLINED);
        }

        @Test
        void a_new_key_after_a_decline_may_be_charged() {
            declined.when(approved("k-2")).then(new PaymentCharged("k-2", "ch-k-2", AMOUNT, "EUR"));
        }

        @Test
        void a_new_key_after_a_charge_is_refused() {
            charged.when(approved("k-2")).thenRefused(ALREADY_CHARGED);
        }

        @Test
        void a_new_key_after_a_refund_is_refused() {
            refunded.when(approved("k-2")).thenRefused(ALREADY_CHARGED);
        }

        @Test
        void a_blank_key_is_refused() {
            none.when(approved(" ")).thenRefused(IDEMPOTENCY_KEY_REQUIRED);
        }

        @Test
        void a_zero_amount_is_refused() {
            none.when(new RecordCharge(ORDER, "k-1", BigDecimal.ZERO, "EUR", new Approved("ch-1")))
                    .thenRefused(AMOUNT_MUST_BE_POSITIVE);
        }

        @Test
        void an_unknown_currency_is_refused() {
            none.when(new RecordCharge(ORDER, "k-1", AMOUNT, "eur", new Approved("ch-1"))).thenRefused(CURRENCY_UNKNOWN);
        }
    }

    @Nested
    class Refund {
        @Test
        void refunds_the_charge() {
            charged.when(new RecordRefund(ORDER)).then(new PaymentRefunded("ch-1", AMOUNT))
                    .thenState(p -> p.status() == PaymentStatus.REFUNDED);
        }

        @Test
        void twice_has_no_second_effect() {
            refunded.when(new RecordRefund(ORDER)).thenNothing();
        }

        @Test
        void of_a_declined_payment_voids_it() {
            declined.when(new RecordRefund(ORDER)).then(new PaymentVoided())
                    .thenState(p -> p.status() == PaymentStatus.VOIDED);
        }

        @Test
        void of_an_order_never_charged_voids_it_so_a_charge_arriving_later_is_refused() {
            none.when(new RecordRefund(ORDER)).then(new PaymentVoided());
            var voided = none.given(new PaymentVoided());
            voided.when(approved("k-1")).thenRefused(PAYMENT_VOIDED);
            voided.when(new RecordRefund(ORDER)).thenNothing();
        }
    }
}
