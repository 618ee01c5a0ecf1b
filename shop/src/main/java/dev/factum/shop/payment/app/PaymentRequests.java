// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.payment.app;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaParticipant;
import dev.factum.saga.SagaParticipant.Answer;
import dev.factum.shop.payment.domain.PaymentStatus;
import dev.factum.store.EventStore;
import dev.factum.transport.ConsumerOptions;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The Payment context's requests on the transport, and the participant that answers them, in category
 * {@value #CATEGORY}:
 * <ul>
 *   <li>{@value #CHARGE} ({@link ChargeRequested}): charges the order through the gateway under the request's
 *       idempotency key (the same on every attempt of the step, so the gateway charges once); done with
 *       {@link Charged}, or refused {@value #PAYMENT_DECLINED}.</li>
 *   <li>{@value #REFUND} ({@link RefundRequested}): refunds the order's charge, once; done. When nothing was charged
 *       the payment is voided, so a charge request still on its way is refused ({@code payment-voided}).</li>
 * </ul>
 * A payment rule's refusal is answered refused with the rule's name; a gateway error is thrown, so the consumer
 * retries it (and the saga's attempt times out and runs again if it keeps failing).
 *
 * @since 0.1
 */
public final class PaymentRequests {
    /** The requests' stream category ({@code PaymentRequest-<orderId>}). */
    public static final String CATEGORY = "PaymentRequest";
    /** Request type: charge an order. */
    public static final String CHARGE = "ChargeRequested";
    /** Request type: refund an order's charge. */
    public static final String REFUND = "RefundRequested";
    /** Refusal: the gateway declined the charge. */
    public static final String PAYMENT_DECLINED = "PAYMENT_DECLINED";
    /** The participant's consumer name. */
    public static final String CONSUMER = "payment";

    /** {@value #CHARGE}: charge {@code orderId} {@code amount} {@code currency}. */
    public record ChargeRequested(String orderId, BigDecimal amount, String currency) {
        public ChargeRequested {
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    /** The result of a done {@value #CHARGE}: the gateway's charge id. */
    public record Charged(String chargeId) {}

    /** {@value #REFUND}: refund the charge of {@code orderId}. */
    public record RefundRequested(String orderId) {
        public RefundRequested {
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    private PaymentRequests() {
    }

    /**
     * The consumer of every request of the category; on the in-process transport up to 64 orders' requests are
     * handled side by side (each order's in order), since the context's commands are safe under concurrency.
     */
    public static ConsumerOptions consumer() {
        return ConsumerOptions.of(CONSUMER, CATEGORY + ".*").withConcurrency(64);
    }

    /** The participant: sends the context's commands on {@code bus}, appends its replies to {@code store}. */
    public static SagaParticipant participant(EventStore store, CommandBus bus) {
        return SagaParticipant.builder(store)
                .on(CHARGE, ChargeRequested.class, (request, asked) -> charge(bus, request, asked))
                .on(REFUND, RefundRequested.class, (request, asked) -> {
                    bus.send(new RefundPayment(request.orderId()), context(asked));
                    return Answer.done();
                })
                .build();
    }

    private static Answer charge(CommandBus bus, ChargeRequested request, SagaMessages.Correlation asked) {
        PaymentResult result;
        try {
            result = bus.send(new ChargePayment(request.orderId(), asked.idempotencyKey(), request.amount(),
                    request.currency()), context(asked));
        } catch (RuleViolationException e) {
            return Answer.refused(e.rule());
        }
        if (result.status() == PaymentStatus.DECLINED) return Answer.refused(PAYMENT_DECLINED);
        return Answer.done(new Charged(result.payment().chargeId()));
    }

    private static CommandContext context(SagaMessages.Correlation asked) {
        return CommandContext.create().withCorrelationId(asked.sagaId());
    }
}
