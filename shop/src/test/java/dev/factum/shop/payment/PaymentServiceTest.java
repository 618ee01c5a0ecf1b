// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.shop.payment.app.ChargePayment;
import dev.factum.shop.payment.app.PaymentGatewaySimulator;
import dev.factum.shop.payment.app.PaymentResult;
import dev.factum.shop.payment.app.PaymentService;
import dev.factum.shop.payment.app.RefundPayment;
import dev.factum.shop.payment.domain.GatewayReply;
import dev.factum.shop.payment.domain.PaymentRules;
import dev.factum.shop.payment.domain.PaymentStatus;
import dev.factum.shop.payment.domain.Payments;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Charges and refunds through {@link PaymentService} and the {@link PaymentGatewaySimulator} on a SQLite store. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PaymentServiceTest {
    static final BigDecimal AMOUNT = new BigDecimal("39.98");

    @TempDir
    Path dir;
    final List<SqliteEventStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(SqliteEventStore::close);
    }

    CommandBus bus(PaymentGatewaySimulator gateway) {
        SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(dir.resolve("shop-" + stores.size() + ".db")));
        stores.add(store);
        return new PaymentService(store, gateway).register(CommandBus.builder()).build();
    }

    /** Whether one refund call of {@code chargeId} succeeded (else the injected fault failed it). */
    static boolean refundsAtOnce(PaymentGatewaySimulator gateway, String chargeId) {
        try {
            gateway.refund(chargeId);
            return true;
        } catch (PaymentGatewaySimulator.RefundFailedException e) {
            return false;
        }
    }

    static PaymentGatewaySimulator approving() {
        return new PaymentGatewaySimulator(0, Duration.ZERO, 1);
    }

    @Nested
    class Simulator {
        @Test
        void is_deterministic_per_seed_and_key_whatever_the_order_of_calls() {
            PaymentGatewaySimulator a = new PaymentGatewaySimulator(0.5, Duration.ZERO, 42);
            PaymentGatewaySimulator b = new PaymentGatewaySimulator(0.5, Duration.ZERO, 42);
            List<GatewayReply> forward = IntStream.range(0, 100).mapToObj(i -> a.charge("k-" + i, AMOUNT, "EUR")).toList();
            List<GatewayReply> backward = new ArrayList<>();
            for (int i = 99; i >= 0; i--) backward.add(0, b.charge("k-" + i, AMOUNT, "EUR"));
            assertThat(backward).isEqualTo(forward);
        }

        @Test
        void declines_about_the_configured_share() {
            PaymentGatewaySimulator gateway = new PaymentGatewaySimulator(0.3, Duration.ZERO, 7);
            long declined = IntStream.range(0, 2_000)
                    .mapToObj(i -> gateway.charge("k-" + i, AMOUNT, "EUR"))
                    .filter(reply -> reply instanceof GatewayReply.Declined).count();
            assertThat(declined).isBetween(500L, 700L); // 600 expected; binomial sd ≈ 20
        }

        @Test
        void answers_a_key_once_and_keeps_the_answer() {
            PaymentGatewaySimulator gateway = approving();
            GatewayReply first = gateway.charge("k-1", AMOUNT, "EUR");
            assertThat(gateway.charge("k-1", AMOUNT, "EUR")).isEqualTo(first);
            assertThat(gateway.approvedCharges()).isEqualTo(1);
        }

        @Test
        void waits_its_latency_on_every_call() {
            List<Duration> slept = new ArrayList<>();
            PaymentGatewaySimulator gateway = new PaymentGatewaySimulator(0, Duration.ofMillis(250), 1, slept::add);
            GatewayReply.Approved approved = (GatewayReply.Approved) gateway.charge("k-1", AMOUNT, "EUR");
            gateway.refund(approved.chargeId());
            assertThat(slept).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
        }

        @Test
        void fails_about_the_configured_share_of_refunds_as_a_technical_error_that_a_later_call_may_overcome() {
            PaymentGatewaySimulator always = new PaymentGatewaySimulator(0, 1.0, Duration.ZERO, 3);
            String charge = ((GatewayReply.Approved) always.charge("k-1", AMOUNT, "EUR")).chargeId();
            assertThatThrownBy(() -> always.refund(charge))
                    .isInstanceOf(PaymentGatewaySimulator.RefundFailedException.class)
                    .hasMessageContaining("simulated gateway fault");
            assertThat(always.refunded(charge)).isFalse();

            PaymentGatewaySimulator half = new PaymentGatewaySimulator(0, 0.5, Duration.ZERO, 3);
            List<String> charges = IntStream.range(0, 2_000)
                    .mapToObj(i -> ((GatewayReply.Approved) half.charge("k-" + i, AMOUNT, "EUR")).chargeId()).toList();
            long failedFirst = charges.stream().filter(id -> !refundsAtOnce(half, id)).count();
            assertThat(failedFirst).isBetween(900L, 1_100L); // 1,000 expected; binomial sd ≈ 22
            for (String id : charges) {
                for (int call = 0; call < 60 && !half.refunded(id); call++) refundsAtOnce(half, id);
            }
            assertThat(half.refundedCharges()).isEqualTo(2_000); // each failed refund succeeded on a later call
        }

        @Test
        void a_simulator_with_the_same_seed_refunds_the_charges_an_earlier_one_made() {
            String charge = ((GatewayReply.Approved) new PaymentGatewaySimulator(0, Duration.ZERO, 5)
                    .charge("k-1", AMOUNT, "EUR")).chargeId();
            PaymentGatewaySimulator restarted = new PaymentGatewaySimulator(0, Duration.ZERO, 5);
            restarted.refund(charge);
            assertThat(restarted.refunded(charge)).isTrue();
            assertThatThrownBy(() -> new PaymentGatewaySimulator(0, Duration.ZERO, 6).refund(charge))
                    .hasMessage("the simulated gateway made no charge " + charge);
            String forged = charge.substring(0, charge.length() - 1) + (charge.endsWith("0") ? "1" : "0");
            assertThatThrownBy(() -> restarted.refund(forged)).hasMessage("the simulated gateway made no charge " + forged);
        }

        @Test
        void refuses_a_bad_configuration_and_an_unknown_refund() {
            assertThatThrownBy(() -> new PaymentGatewaySimulator(1.5, Duration.ZERO, 1))
                    .hasMessage("declineRate must be from 0 to 1, was 1.5");
            assertThatThrownBy(() -> new PaymentGatewaySimulator(0, -0.1, Duration.ZERO, 1))
                    .hasMessage("refundFailureRate must be from 0 to 1, was -0.1");
            assertThatThrownBy(() -> new PaymentGatewaySimulator(0, Duration.ofMillis(-1), 1))
                    .hasMessageStartingWith("latency must not be negative");
            assertThatThrownBy(() -> approving().refund("ch-x"))
                    .hasMessage("the simulated gateway made no charge ch-x");
        }
    }

    @Test
    void a_charge_is_charged_once_per_key_and_refunded_once() {
        PaymentGatewaySimulator gateway = approving();
        CommandBus bus = bus(gateway);
        PaymentResult charged = bus.send(new ChargePayment("o-1", "k-1", AMOUNT, "EUR"));
        PaymentResult again = bus.send(new ChargePayment("o-1", "k-1", AMOUNT, "EUR"));
        assertThat(charged.status()).isEqualTo(PaymentStatus.CHARGED);
        assertThat(charged.changed()).isTrue();
        assertThat(again.status()).isEqualTo(PaymentStatus.CHARGED);
        assertThat(again.changed()).isFalse();
        assertThat(gateway.approvedCharges()).isEqualTo(1);

        PaymentResult refunded = bus.send(new RefundPayment("o-1"));
        assertThat(refunded.status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(bus.send(new RefundPayment("o-1")).changed()).isFalse();
        assertThat(gateway.refunded(charged.payment().chargeId())).isTrue();
        assertThat(gateway.refundedCharges()).isEqualTo(1);
        assertThat(stores.get(0).streamVersion(StreamId.of(Payments.CATEGORY, "o-1"))).isEqualTo(2);
    }

    @Test
    void a_decline_is_an_answer_and_leaves_nothing_to_refund() {
        PaymentGatewaySimulator gateway = new PaymentGatewaySimulator(1, Duration.ZERO, 1);
        CommandBus bus = bus(gateway);
        PaymentResult declined = bus.send(new ChargePayment("o-1", "k-1", AMOUNT, "EUR"));
        assertThat(declined.status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(declined.payment().declineReason("k-1")).hasValue(PaymentGatewaySimulator.DECLINE_REASON);
        assertThat(bus.send(new ChargePayment("o-1", "k-1", AMOUNT, "EUR")).status()).isEqualTo(PaymentStatus.DECLINED);
        PaymentResult refund = bus.send(new RefundPayment("o-1")); // nothing to give back: the payment is voided
        assertThat(refund.status()).isEqualTo(PaymentStatus.VOIDED);
        assertThat(gateway.refundedCharges()).isZero();
    }

    @Test
    void a_refund_before_any_charge_voids_the_payment_so_a_late_charge_never_reaches_the_gateway() {
        PaymentGatewaySimulator gateway = approving();
        CommandBus bus = bus(gateway);
        assertThat(bus.send(new RefundPayment("o-1")).changed()).isTrue(); // the saga compensated a charge still on its way
        assertThat(bus.send(new RefundPayment("o-1")).changed()).isFalse();
        assertThatThrownBy(() -> bus.send(new ChargePayment("o-1", "o-1:charge-payment", AMOUNT, "EUR")))
                .isInstanceOfSatisfying(RuleViolationException.class,
                        e -> assertThat(e.rule()).isEqualTo(PaymentRules.PAYMENT_VOIDED));
        assertThat(gateway.approvedCharges()).isZero();
    }

    @Test
    void a_charge_under_another_key_after_a_charge_is_refused_without_calling_the_gateway() {
        PaymentGatewaySimulator gateway = approving();
        CommandBus bus = bus(gateway);
        bus.send(new ChargePayment("o-1", "k-1", AMOUNT, "EUR"));
        assertThatThrownBy(() -> bus.send(new ChargePayment("o-1", "k-2", AMOUNT, "EUR")))
                .isInstanceOfSatisfying(RuleViolationException.class,
                        e -> assertThat(e.rule()).isEqualTo(PaymentRules.ALREADY_CHARGED));
        assertThat(gateway.approvedCharges()).isEqualTo(1);
    }

    @Test
    void invalid_values_are_refused_before_the_gateway_is_called() {
        PaymentGatewaySimulator gateway = approving();
        CommandBus bus = bus(gateway);
        assertThatThrownBy(() -> bus.send(new ChargePayment("o-1", "k-1", new BigDecimal("-1"), "EUR")))
                .isInstanceOfSatisfying(RuleViolationException.class,
                        e -> assertThat(e.rule()).isEqualTo(PaymentRules.AMOUNT_MUST_BE_POSITIVE));
        assertThat(gateway.approvedCharges()).isZero();
    }

    @Test
    void concurrent_charges_of_one_order_under_different_keys_charge_it_once() throws Exception {
        PaymentGatewaySimulator gateway = approving();
        CommandBus bus = bus(gateway);
        int attempts = 8;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                String key = "k-" + i;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return bus.send(new ChargePayment("o-1", key, AMOUNT, "EUR")).status().name();
                    } catch (RuleViolationException e) {
                        return e.rule();
                    }
                }));
            }
            start.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) results.add(outcome.get(60, TimeUnit.SECONDS));
            assertThat(results).filteredOn("CHARGED"::equals).hasSize(1);
            assertThat(results).filteredOn(PaymentRules.ALREADY_CHARGED::equals).hasSize(attempts - 1);
        } finally {
            pool.shutdownNow();
        }
        // every gateway charge but the recorded one was refunded: the customer pays once
        assertThat(gateway.approvedCharges() - gateway.refundedCharges()).isEqualTo(1);
    }
}
