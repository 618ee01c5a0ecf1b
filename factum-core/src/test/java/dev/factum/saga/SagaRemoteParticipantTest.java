// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.ManualClock;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaEvent.*;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.RejectedMessageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Remote participants: the "pay" step sends its request as an event (the outbox) and answers awaiting; the payment
 * participant's reply comes back as a message, delivered through {@link SagaEngine#replyHandler()}.
 */
class SagaRemoteParticipantTest {
    record Booking(String id, String room, boolean paid) {}

    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration PAY_TIMEOUT = Duration.ofSeconds(10);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final ManualClock clock = new ManualClock();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<SagaEngine<Booking>> engines = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** Set by a test to have the "pay" action deliver a reply before it answers awaiting. */
    private final AtomicReference<SagaReply<Booking>> replyInsideAction = new AtomicReference<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) c.close();
        engines.forEach(SagaEngine::close);
        store.close();
    }

    private final SagaDefinition<Booking> saga = SagaDefinition.builder("Booking", Booking.class)
            .step("reserve").invoke((b, step) -> {
                calls.add("reserve " + b.id());
                return SagaReply.done(b);
            }).compensate((b, step) -> calls.add("release " + b.id()))
            .step("pay").invoke((b, step) -> {
                store.append(StreamId.of("PaymentRequest", step.sagaId()), ExpectedVersion.any(),
                        List.of(SagaMessages.request("Booking", step, "PaymentRequested", b)));
                SagaReply<Booking> early = replyInsideAction.get();
                if (early != null) engines.getFirst().deliver(step.sagaId(), step.step(), step.attempt(), early);
                return SagaReply.awaiting();
            }).timeout(PAY_TIMEOUT).retry(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
            .step("confirm").invoke((b, step) -> {
                calls.add("confirm " + b.id());
                return SagaReply.done(b);
            })
            .compensationRetry(RetryPolicy.noRetry())
            .build();

    private SagaEngine<Booking> engine() {
        SagaEngine<Booking> engine = SagaEngine.builder(store, saga).deadLetters(deadLetters).clock(clock)
                .pollInterval(Duration.ofMillis(50)).build();
        engines.add(engine);
        return engine;
    }

    /** The requests the saga sent, as a consumer receives them. */
    private List<Message> requests() {
        return messages("PaymentRequest");
    }

    private List<Message> messages(String category) {
        return store.readAll(ReadAllOptions.after(Position.BEGINNING).category(category)).stream().map(Message::of).toList();
    }

    /** The participant's side: appends its reply to its outbox and returns the message the saga's consumer receives. */
    private Message send(NewEvent reply) {
        store.append(StreamId.of("PaymentReply", reply.metadata().correlationId()), ExpectedVersion.any(), List.of(reply));
        return messages("PaymentReply").getLast();
    }

    private SagaState<Booking> state(SagaEngine<Booking> engine, String id) {
        return engine.find(id).orElseThrow();
    }

    private List<SagaEvent> ofStep(SagaEngine<Booking> engine, String id, Class<? extends SagaEvent> type) {
        return engine.timeline(id).stream().filter(type::isInstance).toList();
    }

    @Test
    void aRemoteStepAnsweredLaterCompletesTheSaga() throws Exception {
        SagaEngine<Booking> engine = engine();
        engine.start("b-1", new Booking("b-1", "101", false));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.RUNNING);
        assertThat(state(engine, "b-1").open()).hasValueSatisfying(open -> assertThat(open.step()).isEqualTo("pay"));
        assertThat(engine.timeline("b-1")).last().isInstanceOfSatisfying(StepAwaiting.class, awaiting -> {
            assertThat(awaiting.step()).isEqualTo("pay");
            assertThat(awaiting.attempt()).isEqualTo(1);
        });
        Message request = requests().getFirst();
        assertThat(requests()).hasSize(1);
        assertThat(request.correlationId()).isEqualTo("b-1");
        assertThat(request.routingKey()).isEqualTo("PaymentRequest.PaymentRequested");
        assertThat(request.headers()).containsEntry(SagaMessages.SAGA, "Booking").containsEntry(SagaMessages.SAGA_ID, "b-1")
                .containsEntry(SagaMessages.STEP, "pay").containsEntry(SagaMessages.ATTEMPT, "1")
                .containsEntry(SagaMessages.IDEMPOTENCY_KEY, "b-1:pay");
        assertThat(SagaMessages.correlation(request))
                .isEqualTo(new SagaMessages.Correlation("Booking", "b-1", "pay", 1, "b-1:pay"));
        assertThat(calls).containsExactly("reserve b-1");

        Message reply = send(SagaMessages.done(request, new Booking("b-1", "101", true)));
        assertThat(reply.causationId()).isEqualTo(request.messageId().toString());
        engine.replyHandler().handle(reply);
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(state(engine, "b-1").data().paid()).isTrue();
        assertThat(calls).containsExactly("reserve b-1", "confirm b-1");
    }

    @Test
    void aRemoteRefusalCompensatesTheCompletedSteps() throws Exception {
        SagaEngine<Booking> engine = engine();
        engine.start("b-1", new Booking("b-1", "101", false));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        engine.replyHandler().handle(send(SagaMessages.refused(requests().getFirst(), "PAYMENT_DECLINED")));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(state(engine, "b-1").failure()).hasValue("PAYMENT_DECLINED");
        assertThat(ofStep(engine, "b-1", StepRefused.class)).singleElement()
                .isEqualTo(new StepRefused("pay", 1, "PAYMENT_DECLINED", ManualClock.START));
        assertThat(calls).containsExactly("reserve b-1", "release b-1");
    }

    @Test
    void aReplyThatNeverComesTimesOutAndTheRetryPolicyAppliesWithTheSameIdempotencyKey() throws Exception {
        SagaEngine<Booking> engine = engine();
        engine.start("b-1", new Booking("b-1", "101", false));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        Message first = requests().getFirst();

        clock.advance(PAY_TIMEOUT);
        // the deadline has passed, the timeout is not recorded yet: the reply is too late all the same
        assertThat(engine.deliver("b-1", "pay", 1, SagaReply.done(new Booking("b-1", "101", true)))).isFalse();
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(ofStep(engine, "b-1", StepTimedOut.class)).singleElement()
                .isEqualTo(new StepTimedOut("pay", 1, clock.instant().plusSeconds(1), clock.instant()));
        assertThat(requests()).hasSize(1); // the retry waits for its backoff

        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(requests()).hasSize(2);
        Message second = requests().getLast();
        assertThat(SagaMessages.correlation(second)).isEqualTo(new SagaMessages.Correlation("Booking", "b-1", "pay", 2, "b-1:pay"));

        // the first attempt's reply arrives now: ignored, the second attempt stays open
        engine.replyHandler().handle(send(SagaMessages.refused(first, "PAYMENT_DECLINED")));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.RUNNING);
        assertThat(state(engine, "b-1").open()).hasValueSatisfying(open -> assertThat(open.attempt()).isEqualTo(2));

        engine.replyHandler().handle(send(SagaMessages.done(second, new Booking("b-1", "101", true))));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(ofStep(engine, "b-1", StepRefused.class)).isEmpty();
    }

    @Test
    void whenEveryAttemptTimesOutTheStepFailsAndTheSagaCompensates() throws Exception {
        SagaEngine<Booking> engine = engine();
        engine.start("b-1", new Booking("b-1", "101", false));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        clock.advance(PAY_TIMEOUT);
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        clock.advance(PAY_TIMEOUT);
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(requests()).hasSize(2);
        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(state(engine, "b-1").failure()).hasValue("step 'pay' failed: timed out after PT10S");
        assertThat(calls).containsExactly("reserve b-1", "release b-1");
    }

    @Test
    void aDuplicateReplyIsIgnored() throws Exception {
        SagaEngine<Booking> engine = engine();
        engine.start("b-1", new Booking("b-1", "101", false));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        Message request = requests().getFirst();
        Message done = send(SagaMessages.done(request, new Booking("b-1", "101", true)));

        engine.replyHandler().handle(done);
        engine.replyHandler().handle(done); // redelivered
        assertThat(engine.deliver("b-1", "pay", 1, SagaReply.refused("PAYMENT_DECLINED"))).isFalse(); // a second, different answer
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(ofStep(engine, "b-1", StepSucceeded.class).stream().map(e -> ((StepSucceeded) e).step()))
                .containsExactly("reserve", "pay", "confirm");
        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(engine.deliver("b-1", "pay", 1, SagaReply.done(new Booking("b-1", "101", true)))).isFalse();
        assertThat(calls).containsExactly("reserve b-1", "confirm b-1");
    }

    @Test
    void aNewEngineAfterACrashWhileAwaitingAcceptsTheReply() throws Exception {
        SagaEngine<Booking> crashed = engine();
        crashed.start("b-1", new Booking("b-1", "101", false));
        assertThat(crashed.awaitIdle(IDLE)).isTrue();
        crashed.close();

        SagaEngine<Booking> restarted = engine();
        assertThat(restarted.awaitIdle(IDLE)).isTrue();
        assertThat(requests()).hasSize(1); // the open attempt is not sent again before its deadline
        restarted.replyHandler().handle(send(SagaMessages.done(requests().getFirst(), new Booking("b-1", "101", true))));
        assertThat(restarted.awaitIdle(IDLE)).isTrue();

        assertThat(state(restarted, "b-1").status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(calls).containsExactly("reserve b-1", "confirm b-1");
    }

    @Test
    void aReplyThatComesBeforeTheAttemptIsRecordedAsAwaitingIsRecorded() throws Exception {
        SagaEngine<Booking> engine = engine();
        replyInsideAction.set(SagaReply.done(new Booking("b-1", "101", true)));
        engine.start("b-1", new Booking("b-1", "101", false));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(ofStep(engine, "b-1", StepAwaiting.class)).isEmpty();
    }

    @Test
    void repliesOfOtherSagasAreLeftAloneAndMalformedRepliesAreRefusedNamingTheProblem() throws Exception {
        SagaEngine<Booking> engine = engine();
        engine.start("b-1", new Booking("b-1", "101", false));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        Map<String, String> correlation = requests().getFirst().headers();

        NewEvent otherSaga = new NewEvent(SagaMessages.REPLY_TYPE, "{\"outcome\":\"refused\",\"reason\":\"NO\"}",
                Metadata.create().withCorrelationId("b-1").withHeaders(correlation).withHeader(SagaMessages.SAGA, "Trip"));
        engine.replyHandler().handle(send(otherSaga));

        var noAttempt = new java.util.TreeMap<>(correlation);
        noAttempt.remove(SagaMessages.ATTEMPT);
        Message withoutAttempt = send(new NewEvent(SagaMessages.REPLY_TYPE, "{\"outcome\":\"refused\",\"reason\":\"NO\"}",
                Metadata.create().withCorrelationId("b-1").withHeaders(noAttempt)));
        assertThatThrownBy(() -> engine.replyHandler().handle(withoutAttempt))
                .isInstanceOf(RejectedMessageException.class).hasMessageContaining("has no 'saga-attempt' header");

        Message unknownOutcome = send(new NewEvent(SagaMessages.REPLY_TYPE, "{\"outcome\":\"maybe\"}",
                Metadata.create().withCorrelationId("b-1").withHeaders(correlation)));
        assertThatThrownBy(() -> engine.replyHandler().handle(unknownOutcome))
                .isInstanceOf(RejectedMessageException.class).hasMessageContaining("has outcome 'maybe'");

        assertThat(engine.deliver("b-9", "pay", 1, SagaReply.refused("NO"))).as("unknown saga").isFalse();
        assertThat(engine.deliver("b-1", "reserve", 1, SagaReply.refused("NO"))).as("a step that is not open").isFalse();
        assertThatThrownBy(() -> engine.deliver("b-1", "pay", 1, SagaReply.awaiting()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not awaiting");
        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.RUNNING);
        assertThat(ofStep(engine, "b-1", StepRefused.class)).isEmpty();
    }

    @Test
    void requestsAndRepliesTravelOverTheInProcessTransport() {
        InProcessTransport transport = new InProcessTransport(store, new InMemoryCheckpointStore(), deadLetters, clock,
                duration -> {}, Duration.ofMillis(50));
        closeables.add(transport);
        Set<String> charged = ConcurrentHashMap.newKeySet();
        List<String> charges = new CopyOnWriteArrayList<>();
        // the payment participant: works once per idempotency key, declines room 13, replies through its outbox
        MessageConsumer payments = transport.consume(ConsumerOptions.of("payments", "PaymentRequest.*"), request -> {
            SagaMessages.Correlation c = SagaMessages.correlation(request);
            if (charged.add(c.idempotencyKey())) charges.add(c.sagaId());
            Booking booking = dev.factum.event.codec.EventCodec.defaultMapper().readValue(request.body(), Booking.class);
            NewEvent reply = booking.room().equals("13")
                    ? SagaMessages.refused(request, "CARD_DECLINED")
                    : SagaMessages.done(request, new Booking(booking.id(), booking.room(), true));
            store.append(StreamId.of("PaymentReply", c.sagaId()), ExpectedVersion.any(), List.of(reply));
        });
        closeables.add(payments);
        SagaEngine<Booking> engine = engine().runInBackground();
        closeables.add(transport.consume(ConsumerOptions.of("booking-replies", "PaymentReply.*"), engine.replyHandler()));

        engine.start("b-1", new Booking("b-1", "101", false));
        engine.start("b-2", new Booking("b-2", "13", false));

        await().atMost(IDLE).until(() -> !state(engine, "b-1").status().inFlight() && !state(engine, "b-2").status().inFlight());
        assertThat(state(engine, "b-1").status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(state(engine, "b-1").data().paid()).isTrue();
        assertThat(state(engine, "b-2").status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(state(engine, "b-2").failure()).hasValue("CARD_DECLINED");
        assertThat(charges).containsExactlyInAnyOrder("b-1", "b-2");
        assertThat(calls).contains("confirm b-1", "release b-2").doesNotContain("confirm b-2", "release b-1");
    }
}
