// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaParticipant;
import dev.factum.saga.SagaParticipant.Answer;
import dev.factum.saga.SagaReply;
import dev.factum.saga.StepContext;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.ConsumerStatus;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * W5 with {@code --participants transport}: the benchmark's order saga in the shape the shop's {@code OrderSaga} has
 * now (it cannot be used here: the enforcer bans a dependency on {@code factum-shop}). Each remote step appends its
 * request ({@link SagaMessages#request}) to {@code <category>-<orderId>} in the store — the outbox — and answers
 * {@link SagaReply#awaiting()}; three {@link SagaParticipant} consumers (stock, payment, shipping) on an
 * {@link InProcessTransport} over the same store each do one durable, idempotent write and append their reply to
 * {@code BenchOrderSagaReply-<orderId>}; the reply consumer hands the replies to {@link SagaEngine#replyHandler()}.
 * The charge's and the shipment's results are folded into the saga's data ({@code onDone}); the compensations are
 * remote requests too ({@code compensateRemotely}); the confirmation stays local, as the shop's is its own command.
 * Each consumer handles up to {@link #CONCURRENCY} streams of a batch side by side, as the shop's do. Every
 * consumer's handler time and checkpoint saves are counted, to say where the time goes.
 */
final class TransportSaga {
    static final String STOCK = "BenchStockRequest";
    static final String PAYMENT = "BenchPaymentRequest";
    static final String SHIPPING = "BenchShippingRequest";
    static final String PAYMENT_DECLINED = "PAYMENT_DECLINED";
    /** Streams each consumer handles side by side, as the shop's participants and reply consumer do (commit 3d24e31). */
    static final int CONCURRENCY = 64;

    /** The saga's data: the order, and what the participants answered (folded from their replies). */
    public record Order(String orderId, String chargeId, String trackingNumber) {
        Order charged(String id) {
            return new Order(orderId, id, trackingNumber);
        }

        Order shipped(String tracking) {
            return new Order(orderId, chargeId, tracking);
        }
    }

    /** Every request's body: the order it is about. */
    public record Request(String orderId) {}

    /** A done charge's result. */
    public record Charged(String chargeId) {}

    /** A done shipment's result. */
    public record Shipped(String trackingNumber) {}

    private TransportSaga() {
    }

    /** The charge id the payment participant answers for {@code orderId}. */
    static String chargeId(String orderId) {
        return "ch-" + orderId;
    }

    /** The tracking number the shipping participant answers for {@code orderId}. */
    static String trackingNumber(String orderId) {
        return "tr-" + orderId;
    }

    /** The definition: requests appended to {@code outbox}, the shop's retry policy and a 10 s attempt timeout. */
    static SagaDefinition<Order> definition(EventStore outbox) {
        RetryPolicy steps = RetryPolicy.exponential(5, Duration.ofMillis(200), Duration.ofSeconds(5));
        Duration timeout = Duration.ofSeconds(10);
        return SagaDefinition.builder(SagaWorkload.SAGA, Order.class)
                .step("reserve-stock").invoke((data, step) -> ask(outbox, step, STOCK, "ReserveStockRequested", data))
                    .compensateRemotely((data, step) -> ask(outbox, step, STOCK, "ReleaseStockRequested", data))
                    .timeout(timeout).retry(steps)
                .step("charge-payment").invoke((data, step) -> ask(outbox, step, PAYMENT, "ChargeRequested", data))
                    .onDone(Charged.class, (data, charged) -> data.charged(charged.chargeId()))
                    .compensateRemotely((data, step) -> ask(outbox, step, PAYMENT, "RefundRequested", data))
                    .timeout(timeout).retry(steps)
                .step("create-shipment").invoke((data, step) -> ask(outbox, step, SHIPPING, "ShipmentRequested", data))
                    .onDone(Shipped.class, (data, shipped) -> data.shipped(shipped.trackingNumber()))
                    .compensateRemotely((data, step) -> ask(outbox, step, SHIPPING, "ShipmentCancellationRequested", data))
                    .timeout(timeout).retry(steps)
                .step("send-confirmation").invoke((data, step) -> {
                    SagaWorkload.record(outbox, "BenchConfirmation", data.orderId(), 0, "OrderConfirmed");
                    return SagaReply.done(data);
                })
                    .timeout(timeout).retry(steps)
                .compensationRetry(steps)
                .build();
    }

    private static SagaReply<Order> ask(EventStore outbox, StepContext step, String category, String type, Order data) {
        outbox.append(StreamId.of(category, step.sagaId()), ExpectedVersion.any(),
                List.of(SagaMessages.request(SagaWorkload.SAGA, step, type, new Request(data.orderId()))));
        return SagaReply.awaiting();
    }

    /** The stock participant: reserve and release, one append each (idempotent by expected version). */
    static SagaParticipant stock(EventStore store) {
        return SagaParticipant.builder(store)
                .on("ReserveStockRequested", Request.class, (request, asked) -> {
                    SagaWorkload.record(store, "BenchStock", request.orderId(), 0, "StockReserved");
                    return Answer.done();
                })
                .on("ReleaseStockRequested", Request.class, (request, asked) -> {
                    SagaWorkload.record(store, "BenchStock", request.orderId(), 1, "StockReleased");
                    return Answer.done();
                })
                .build();
    }

    /** The payment participant: declines the charges {@code declines} marks (recording the decline), else charges. */
    static SagaParticipant payment(EventStore store, Map<String, Boolean> declines) {
        return SagaParticipant.builder(store)
                .on("ChargeRequested", Request.class, (request, asked) -> {
                    if (declines.get(request.orderId())) {
                        SagaWorkload.record(store, "BenchPayment", request.orderId(), 0, "PaymentDeclined");
                        return Answer.refused(PAYMENT_DECLINED);
                    }
                    SagaWorkload.record(store, "BenchPayment", request.orderId(), 0, "PaymentCharged");
                    return Answer.done(new Charged(chargeId(request.orderId())));
                })
                .on("RefundRequested", Request.class, (request, asked) -> {
                    SagaWorkload.record(store, "BenchPayment", request.orderId(), 1, "PaymentRefunded");
                    return Answer.done();
                })
                .build();
    }

    /** The shipping participant: creates and cancels shipments. */
    static SagaParticipant shipping(EventStore store) {
        return SagaParticipant.builder(store)
                .on("ShipmentRequested", Request.class, (request, asked) -> {
                    SagaWorkload.record(store, "BenchShipment", request.orderId(), 0, "ShipmentCreated");
                    return Answer.done(new Shipped(trackingNumber(request.orderId())));
                })
                .on("ShipmentCancellationRequested", Request.class, (request, asked) -> {
                    SagaWorkload.record(store, "BenchShipment", request.orderId(), 1, "ShipmentCancelled");
                    return Answer.done();
                })
                .build();
    }

    /** One consumer's counters: messages handled and the time in its handler and in its checkpoint saves. */
    static final class Stats {
        final String name;
        final LongAdder handled = new LongAdder();
        final LongAdder handlerNanos = new LongAdder();
        final LongAdder saves = new LongAdder();
        final LongAdder saveNanos = new LongAdder();

        Stats(String name) {
            this.name = name;
        }
    }

    /** The transport and its four consumers, started; closing closes them. */
    static final class Wiring implements SagaWorkload.Participants {
        private final InProcessTransport transport;
        private final List<MessageConsumer> consumers = new ArrayList<>();
        private final Map<String, Stats> stats = new LinkedHashMap<>();

        Wiring(SqliteEventStore store, SagaEngine<Order> engine, Map<String, Boolean> declines) {
            this.transport = new InProcessTransport(store, new TimedCheckpoints(store.checkpointStore(), stats),
                    store.deadLetterStore());
            try {
                consume("bench-stock", STOCK + ".*", stock(store));
                consume("bench-payment", PAYMENT + ".*", payment(store, declines));
                consume("bench-shipping", SHIPPING + ".*", shipping(store));
                consume("bench-order-saga-replies", SagaMessages.replyCategory(SagaWorkload.SAGA) + ".*",
                        engine.replyHandler());
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private void consume(String name, String binding, MessageHandler handler) {
            Stats s = new Stats(name);
            stats.put("transport:" + name, s);
            consumers.add(transport.consume(ConsumerOptions.of(name, binding).withConcurrency(CONCURRENCY), message -> {
                long t0 = System.nanoTime();
                try {
                    handler.handle(message);
                } finally {
                    s.handlerNanos.add(System.nanoTime() - t0);
                    s.handled.increment();
                }
            }));
        }

        @Override
        public List<String> breakdown(long runNanos, int sagas) {
            List<String> lines = new ArrayList<>();
            for (MessageConsumer consumer : consumers) {
                Stats s = stats.get("transport:" + consumer.name());
                ConsumerStatus status = consumer.status();
                long handled = s.handled.sum(), saves = s.saves.sum();
                double handlerMs = s.handlerNanos.sum() / 1e6, saveMs = s.saveNanos.sum() / 1e6;
                double run = runNanos / 1e6;
                lines.add(String.format(Locale.ROOT, "`%s`: %,d messages (%.2f per saga), handler %.3f ms each (up to"
                                + " %d streams side by side; handler time summed %.0f %% of the run), %,d checkpoint saves"
                                + " (%.1f messages each) %.3f ms each, %.0f %% of the run; retried %d, dead letters %d",
                        consumer.name(), handled, (double) handled / sagas, handled == 0 ? 0 : handlerMs / handled,
                        CONCURRENCY, 100 * handlerMs / run, saves, saves == 0 ? 0 : (double) handled / saves,
                        saves == 0 ? 0 : saveMs / saves, 100 * saveMs / run, status.retried(), status.deadLettered()));
            }
            return lines;
        }

        @Override
        public long deadLetters() {
            return consumers.stream().mapToLong(c -> c.status().deadLettered()).sum();
        }

        @Override
        public void close() {
            for (MessageConsumer consumer : consumers) consumer.close();
            transport.close();
        }
    }

    /** The store's checkpoint store, timing each save per consumer (the transport saves after each handled message). */
    private record TimedCheckpoints(CheckpointStore delegate, Map<String, Stats> stats) implements CheckpointStore {
        @Override
        public Optional<Position> load(String subscription) {
            return delegate.load(subscription);
        }

        @Override
        public void commit(Checkpoint checkpoint, TransactionalWork work) {
            long t0 = System.nanoTime();
            try {
                delegate.commit(checkpoint, work);
            } finally {
                Stats s = stats.get(checkpoint.subscription());
                if (s != null) {
                    s.saveNanos.add(System.nanoTime() - t0);
                    s.saves.increment();
                }
            }
        }

        @Override
        public void save(Checkpoint checkpoint) {
            commit(checkpoint, tx -> {
            });
        }

        @Override
        public void delete(String subscription) {
            delegate.delete(subscription);
        }
    }
}
