// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.app;

import dev.factum.aggregate.HandledCommand;
import dev.factum.aggregate.LoadedState;
import dev.factum.aggregate.Repository;
import dev.factum.aggregate.RepositoryOptions;
import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.shop.payment.domain.GatewayReply;
import dev.factum.shop.payment.domain.PaymentCommand.RecordCharge;
import dev.factum.shop.payment.domain.PaymentCommand.RecordRefund;
import dev.factum.shop.payment.domain.PaymentCommand;
import dev.factum.shop.payment.domain.PaymentEvent;
import dev.factum.shop.payment.domain.PaymentRules;
import dev.factum.shop.payment.domain.PaymentState;
import dev.factum.shop.payment.domain.PaymentStatus;
import dev.factum.shop.payment.domain.Payments;
import dev.factum.store.EventStore;

import java.util.Objects;
import java.util.Optional;

/**
 * The Payment context's command handlers: {@link ChargePayment} and {@link RefundPayment}, each calling the
 * {@link PaymentGateway} and recording its reply in the Payment aggregate.
 *
 * <p>A charge first checks its values and the recorded payment: a key already answered is answered again without
 * calling the gateway; an order charged under another key is refused ({@link PaymentRules#ALREADY_CHARGED}). Then
 * the gateway is called and its reply recorded. If a concurrent charge under another key was recorded first, the
 * charge just made is refunded at the gateway and the refusal propagates — no order is charged twice. A refund calls
 * the gateway only for a charged payment. Errors: {@link RuleViolationException} naming a rule of
 * {@link PaymentRules}; whatever the gateway throws (nothing recorded, so a retry with the same key is safe).
 * Thread-safe; blocking (the gateway's latency included).
 *
 * @since 0.1
 */
public final class PaymentService {
    private final Repository<PaymentState, PaymentEvent, PaymentCommand> payments;
    private final PaymentGateway gateway;

    /** Handlers over {@code store} calling {@code gateway}. */
    public PaymentService(EventStore store, PaymentGateway gateway) {
        this.payments = Repository.of(Payments.AGGREGATE, Objects.requireNonNull(store, "store"),
                RepositoryOptions.defaults().maxAttempts(10));
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    /** Registers the handlers of {@link ChargePayment} and {@link RefundPayment} on {@code bus}; returns it. */
    public CommandBus.Builder register(CommandBus.Builder bus) {
        return bus.handler(ChargePayment.class, this::charge).handler(RefundPayment.class, this::refund);
    }

    /**
     * Charges the order, or answers the recorded outcome of the same idempotency key.
     *
     * @throws RuleViolationException if a rule of {@link PaymentRules} refuses the charge
     */
    public PaymentResult charge(ChargePayment charge, CommandContext context) {
        PaymentRules.requireValidCharge(charge.orderId(), charge.idempotencyKey(), charge.amount(), charge.currency());
        PaymentState known = payments.load(charge.orderId()).state();
        PaymentRules.requireNotVoided(known, charge.orderId()); // before the gateway: a voided payment takes nothing
        if (known.charged() && known.chargedKey().equals(charge.idempotencyKey())
                || known.declineReason(charge.idempotencyKey()).isPresent()) {
            return result(charge.orderId(), known, false, charge.idempotencyKey());
        }
        PaymentRules.requireNotChargedByAnotherKey(known, charge.orderId(), charge.idempotencyKey());
        GatewayReply reply = gateway.charge(charge.idempotencyKey(), charge.amount(), charge.currency());
        HandledCommand<PaymentState, PaymentEvent> handled;
        try {
            handled = payments.handle(charge.orderId(), new RecordCharge(charge.orderId(), charge.idempotencyKey(),
                    charge.amount(), charge.currency(), reply), context.eventMetadata());
        } catch (RuleViolationException e) {
            if (reply instanceof GatewayReply.Approved approved) gateway.refund(approved.chargeId()); // lost the race
            throw e;
        }
        return result(charge.orderId(), handled.state(), !handled.events().isEmpty(), charge.idempotencyKey());
    }

    /**
     * Refunds the order's charge, once. An order not charged (never, or declined) is voided instead, without calling
     * the gateway, so a charge arriving after this refund is refused rather than kept.
     */
    public PaymentResult refund(RefundPayment refund, CommandContext context) {
        PaymentState known = payments.load(refund.orderId()).state();
        if (known.status() == PaymentStatus.REFUNDED || known.status() == PaymentStatus.VOIDED) {
            return new PaymentResult(refund.orderId(), known.status(), false, known);
        }
        if (known.status() == PaymentStatus.CHARGED) gateway.refund(known.chargeId()); // else nothing taken: void it
        HandledCommand<PaymentState, PaymentEvent> handled =
                payments.handle(refund.orderId(), new RecordRefund(refund.orderId()), context.eventMetadata());
        return new PaymentResult(refund.orderId(), handled.state().status(), !handled.events().isEmpty(), handled.state());
    }

    /** The payment of {@code orderId}; empty if nothing was ever recorded for it. */
    public Optional<PaymentState> find(String orderId) {
        LoadedState<PaymentState> loaded = payments.load(orderId);
        return loaded.exists() ? Optional.of(loaded.state()) : Optional.empty();
    }

    /** The answer to the charge under {@code key}: {@code DECLINED} if that key was declined, else the status. */
    private static PaymentResult result(String orderId, PaymentState state, boolean changed, String key) {
        PaymentStatus status = state.declineReason(key).isPresent() && !(state.charged() && state.chargedKey().equals(key))
                ? PaymentStatus.DECLINED : state.status();
        return new PaymentResult(orderId, status, changed, state);
    }
}
