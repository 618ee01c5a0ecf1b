// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.factum.event.codec.EventCodec;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaEvent;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaStatus;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.test.VirtualClock;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A remote participant on the embedded store: the saga's process stops while a step awaits its reply; after the store
 * file and a new engine are opened again, the reply (and a timed-out attempt's retry) complete the sagas.
 */
class SqliteSagaRemoteTest {
    record Order(String id, boolean paid) {}

    private static final Duration IDLE = Duration.ofSeconds(30);

    private final SqliteStoreFixture fixture = new SqliteStoreFixture();
    private final VirtualClock clock = new VirtualClock();
    private final AtomicReference<SqliteEventStore> current = new AtomicReference<>();
    private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    private final SagaDefinition<Order> saga = SagaDefinition.builder("OrderSaga", Order.class)
            .step("charge").invoke((order, step) -> {
                current.get().append(StreamId.of("PaymentRequest", step.sagaId()), ExpectedVersion.any(),
                        List.of(SagaMessages.request("OrderSaga", step, "ChargeRequested", order)));
                return SagaReply.awaiting();
            }).timeout(Duration.ofSeconds(10)).retry(RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(1)))
            .step("ship").invoke((order, step) -> SagaReply.done(order))
            .build();

    private List<Message> requests(SqliteEventStore store) {
        return store.readAll(ReadAllOptions.after(Position.BEGINNING).category("PaymentRequest")).stream().map(Message::of).toList();
    }

    @Test
    void aSagaAwaitingItsReplyWhenTheProcessStopsCompletesAfterTheRestart() throws Exception {
        SqliteEventStore before = fixture.open(fixture.config());
        current.set(before);
        SagaEngine<Order> first = SagaEngine.builder(before, saga).deadLetters(before.deadLetterStore()).clock(clock).build();
        first.start("o1", new Order("o1", false));
        first.start("o2", new Order("o2", false));
        assertThat(first.awaitIdle(IDLE)).isTrue();
        assertThat(first.timeline("o1")).last().isInstanceOf(SagaEvent.StepAwaiting.class);
        assertThat(requests(before)).hasSize(2);
        first.close();
        before.close();

        SqliteEventStore after = fixture.open(fixture.config());
        current.set(after);
        try (InProcessTransport transport = new InProcessTransport(after, after.checkpointStore(), after.deadLetterStore(),
                clock, duration -> {}, Duration.ofMillis(50));
             SagaEngine<Order> second = SagaEngine.builder(after, saga).deadLetters(after.deadLetterStore()).clock(clock)
                     .pollInterval(Duration.ofMillis(50)).build().runInBackground()) {
            // the payment service; its first answer to o2 is lost
            transport.consume(ConsumerOptions.of("payments", "PaymentRequest.ChargeRequested"), request -> {
                SagaMessages.Correlation asked = SagaMessages.correlation(request);
                handled.computeIfAbsent(asked.idempotencyKey(), key -> new AtomicInteger()).incrementAndGet();
                if (asked.sagaId().equals("o2") && asked.attempt() == 1) return;
                Order order = EventCodec.defaultMapper().readValue(request.body(), Order.class);
                after.append(StreamId.of("PaymentReply", asked.sagaId()), ExpectedVersion.any(),
                        List.of(SagaMessages.done(request, new Order(order.id(), true))));
            });
            transport.consume(ConsumerOptions.of("order-saga-replies", "PaymentReply.*"), second.replyHandler());

            await().atMost(IDLE).until(() -> second.find("o1").orElseThrow().status() == SagaStatus.COMPLETED);
            assertThat(second.find("o2").orElseThrow().status()).isEqualTo(SagaStatus.RUNNING);

            clock.advance(Duration.ofSeconds(10)); // o2's attempt 1 times out
            await().atMost(IDLE).until(() -> second.timeline("o2").stream().anyMatch(e -> e instanceof SagaEvent.StepTimedOut));
            clock.advance(Duration.ofSeconds(1)); // its retry is due
            await().atMost(IDLE).until(() -> second.find("o2").orElseThrow().status() == SagaStatus.COMPLETED);

            assertThat(second.find("o1").orElseThrow().data().paid()).isTrue();
            assertThat(second.find("o2").orElseThrow().data().paid()).isTrue();
            assertThat(requests(after).stream().map(m -> SagaMessages.correlation(m).sagaId() + "#" + SagaMessages.correlation(m).attempt()))
                    .containsExactlyInAnyOrder("o1#1", "o2#1", "o2#2");
            // each request handled once; o2 retried once, with the same idempotency key
            assertThat(handled).containsOnlyKeys("o1:charge", "o2:charge");
            assertThat(handled.get("o1:charge")).hasValue(1);
            assertThat(handled.get("o2:charge")).hasValue(2);
        }
    }
}
