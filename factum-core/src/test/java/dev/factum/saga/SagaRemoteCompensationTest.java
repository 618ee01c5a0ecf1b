// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.ManualClock;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaEvent.*;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.transport.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A remote compensation: the refund is requested from the payment service and done when its reply comes. */
class SagaRemoteCompensationTest {
    record Order(String id) {}

    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration REFUND_TIMEOUT = Duration.ofSeconds(5);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final ManualClock clock = new ManualClock();
    private final List<SagaEngine<Order>> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(SagaEngine::close);
        store.close();
    }

    private SagaEngine<Order> engine(RetryPolicy compensationRetry) {
        SagaDefinition<Order> saga = SagaDefinition.builder("OrderSaga", Order.class)
                .step("charge").invoke((o, step) -> SagaReply.done(o))
                    .compensateRemotely((o, step) -> store.append(StreamId.of("RefundRequest", step.sagaId()),
                            ExpectedVersion.any(), List.of(SagaMessages.request("OrderSaga", step, "RefundRequested", o))))
                    .timeout(REFUND_TIMEOUT)
                .step("ship").invoke((o, step) -> SagaReply.refused("NO_CARRIER"))
                .compensationRetry(compensationRetry)
                .build();
        SagaEngine<Order> engine = SagaEngine.builder(store, saga).deadLetters(deadLetters).clock(clock).build();
        engines.add(engine);
        return engine;
    }

    private List<Message> refundRequests() {
        return store.readAll(ReadAllOptions.after(Position.BEGINNING).category("RefundRequest")).stream().map(Message::of).toList();
    }

    private Message reply(dev.factum.event.NewEvent reply) {
        store.append(StreamId.of("RefundReply", "o1"), ExpectedVersion.any(), List.of(reply));
        return store.readAll(ReadAllOptions.after(Position.BEGINNING).category("RefundReply")).stream().map(Message::of).toList().getLast();
    }

    @Test
    void theCompensationWaitsForTheParticipantsReply() throws Exception {
        SagaEngine<Order> engine = engine(RetryPolicy.noRetry());
        engine.start("o1", new Order("o1"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(engine.find("o1").orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATING);
        assertThat(engine.timeline("o1")).last().isEqualTo(new CompensationAwaiting("charge", 1, ManualClock.START));
        Message request = refundRequests().getFirst();
        assertThat(SagaMessages.correlation(request)).isEqualTo(
                new SagaMessages.Correlation("OrderSaga", "o1", "charge", 1, "o1:charge:compensate"));
        // a reply to the step's action (attempt 1 of "charge") is not the compensation's
        assertThat(engine.deliver("o1", "charge", 1, SagaReply.done(new Order("o1")))).isFalse();

        engine.replyHandler().handle(reply(SagaMessages.done(request, new Order("o1"))));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(engine.find("o1").orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(engine.timeline("o1").stream().filter(CompensationSucceeded.class::isInstance)).hasSize(1);
        assertThat(engine.deliverCompensation("o1", "charge", 1, SagaReply.done(new Order("o1")))).as("duplicate").isFalse();
    }

    @Test
    void aRefusedCompensationParksTheSagaWithADeadLetter() throws Exception {
        SagaEngine<Order> engine = engine(RetryPolicy.noRetry());
        engine.start("o1", new Order("o1"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        engine.replyHandler().handle(reply(SagaMessages.refused(refundRequests().getFirst(), "ALREADY_SETTLED")));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(engine.find("o1").orElseThrow().status()).isEqualTo(SagaStatus.NEEDS_ATTENTION);
        assertThat(deadLetters.list(DeadLetterQuery.all())).singleElement()
                .satisfies(letter -> assertThat(letter.reason()).isEqualTo("compensation of step 'charge' failed: refused: ALREADY_SETTLED"));
    }

    @Test
    void aRefundReplyThatNeverComesTimesOutAndTheCompensationIsRequestedAgain() throws Exception {
        SagaEngine<Order> engine = engine(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        engine.start("o1", new Order("o1"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        Message first = refundRequests().getFirst();

        clock.advance(REFUND_TIMEOUT);
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(refundRequests()).hasSize(2);
        Message second = refundRequests().getLast();
        assertThat(SagaMessages.correlation(second).attempt()).isEqualTo(2);

        engine.replyHandler().handle(reply(SagaMessages.done(first, new Order("o1")))); // late: ignored
        assertThat(engine.find("o1").orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATING);
        engine.replyHandler().handle(reply(SagaMessages.done(second, new Order("o1"))));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(engine.find("o1").orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(engine.timeline("o1")).contains(new CompensationFailed("charge", 1, "timed out after PT5S",
                ManualClock.START.plus(REFUND_TIMEOUT).plusSeconds(1), ManualClock.START.plus(REFUND_TIMEOUT)));
    }
}
