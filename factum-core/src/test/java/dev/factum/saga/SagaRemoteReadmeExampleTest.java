// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.inbox.InMemoryInbox;
import dev.factum.inbox.Inbox;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.StreamId;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.Message;
import dev.factum.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The README's "Sagas" examples of a remote participant and of choreography, as written there. */
class SagaRemoteReadmeExampleTest {
    record Order(String id, String sku, boolean paid) {}

    private final ObjectMapper mapper = EventCodec.defaultMapper();
    private final InMemoryDeadLetterStore deadLetterStore = new InMemoryDeadLetterStore();
    private final CheckpointStore checkpoints = new InMemoryCheckpointStore();

    @Test
    void remoteParticipant() {
        try (EventStore store = new InMemoryEventStore()) {
            Set<String> charged = ConcurrentHashMap.newKeySet();
            // --- README: remote ---
            SagaDefinition<Order> orderSaga = SagaDefinition.builder("OrderSaga", Order.class)
                    .step("charge-payment").invoke((order, step) -> {
                        store.append(StreamId.of("PaymentRequest", step.sagaId()), ExpectedVersion.any(),  // the outbox
                                List.of(SagaMessages.request("OrderSaga", step, "ChargeRequested", order)));
                        return SagaReply.awaiting();                           // the reply comes later, as a message
                    }).timeout(Duration.ofSeconds(10))                        // ... or the attempt times out: retried
                    .build();

            try (Transport transport = new InProcessTransport(store, checkpoints, deadLetterStore);
                 SagaEngine<Order> engine = SagaEngine.builder(store, orderSaga).deadLetters(deadLetterStore).build()
                         .runInBackground()) {
                // the payment service (any process): charges once per idempotency key, replies through its outbox
                transport.consume(ConsumerOptions.of("payments", "PaymentRequest.ChargeRequested"), request -> {
                    SagaMessages.Correlation asked = SagaMessages.correlation(request);
                    Order order = mapper.readValue(request.body(), Order.class);
                    if (order.sku().equals("gold")) {
                        store.append(StreamId.of("PaymentReply", asked.sagaId()), ExpectedVersion.any(),
                                List.of(SagaMessages.refused(request, "PAYMENT_DECLINED")));
                        return;
                    }
                    charged.add(asked.idempotencyKey());                // a repeated request charges nothing more
                    NewEvent reply = SagaMessages.done(request, new Order(order.id(), order.sku(), true));
                    store.append(StreamId.of("PaymentReply", asked.sagaId()), ExpectedVersion.any(), List.of(reply));
                });
                // the saga's process: the replies go back into the engine
                transport.consume(ConsumerOptions.of("order-saga-replies", "PaymentReply.SagaStepReplied"),
                        engine.replyHandler());

                engine.start("o-1", new Order("o-1", "tea", false));
                engine.start("o-2", new Order("o-2", "gold", false));
                await().until(() -> engine.find("o-1").orElseThrow().status() == SagaStatus.COMPLETED);
                await().until(() -> engine.find("o-2").orElseThrow().status() == SagaStatus.COMPENSATED);
                // --- end README ---
                assertThat(engine.find("o-1").orElseThrow().data().paid()).isTrue();
                assertThat(engine.find("o-2").orElseThrow().failure()).hasValue("PAYMENT_DECLINED");
                assertThat(charged).containsExactly("o-1:charge-payment");
            }
        }
    }

    @Test
    void choreography() {
        try (EventStore store = new InMemoryEventStore();
             Transport transport = new InProcessTransport(store, checkpoints, deadLetterStore)) {
            Inbox inbox = new InMemoryInbox();
            Set<String> reserved = ConcurrentHashMap.newKeySet();
            List<String> timeline = new CopyOnWriteArrayList<>();
            // --- README: choreography ---
            // inventory reacts to orders (reserve) and to declined payments (release: its compensation)
            transport.consume(ConsumerOptions.of("inventory", "Order.OrderPlaced", "Payment.PaymentDeclined"), message ->
                    inbox.handleOnce("inventory", message, tx -> {
                        String order = message.correlationId();
                        boolean placed = message.type().equals("OrderPlaced");
                        if (placed) reserved.add(order); else reserved.remove(order);
                        store.append(StreamId.of("Stock", order), ExpectedVersion.any(),
                                List.of(followUp(message, placed ? "StockReserved" : "StockReleased")));
                    }));
            // payment reacts to reserved stock
            transport.consume(ConsumerOptions.of("payment", "Stock.StockReserved"), message ->
                    inbox.handleOnce("payment", message, tx -> store.append(StreamId.of("Payment", message.correlationId()),
                            ExpectedVersion.any(), List.of(followUp(message,
                                    message.body().contains("gold") ? "PaymentDeclined" : "PaymentCharged")))));

            store.append(StreamId.of("Order", "o-2"), ExpectedVersion.any(), List.of(NewEvent.of("OrderPlaced",
                    "{\"sku\":\"gold\"}").withMetadata(Metadata.create().withCorrelationId("o-2"))));
            // --- end README ---
            transport.consume(ConsumerOptions.of("timeline", "Stock.*", "Payment.*"), message -> timeline.add(message.type()));
            await().until(() -> timeline.contains("StockReleased"));
            assertThat(timeline).containsExactly("StockReserved", "PaymentDeclined", "StockReleased");
            assertThat(reserved).isEmpty();
        }
    }

    /** The event a reaction publishes: same conversation (correlation id), caused by the message, same body. */
    private static NewEvent followUp(Message cause, String type) {
        return NewEvent.of(type, cause.body()).withMetadata(Metadata.create().withCorrelationId(cause.correlationId())
                .withCausationId(cause.messageId().toString()));
    }
}
