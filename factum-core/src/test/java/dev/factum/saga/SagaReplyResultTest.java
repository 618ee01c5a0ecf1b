// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factum.event.NewEvent;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.ManualClock;
import dev.factum.retry.RetryPolicy;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.transport.Message;
import dev.factum.transport.RejectedMessageException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A remote participant answers with its own result (a charge id), never with the saga's data: the step's
 * {@code onDone} folds it in. And a step whose attempts all timed out is undone too, since they may have had an effect.
 */
class SagaReplyResultTest {
    record Trip(String id, String chargeId, String note) {
        Trip withCharge(String charge) {
            return new Trip(id, charge, note);
        }
    }

    record Charged(String chargeId) {}

    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final ManualClock clock = new ManualClock();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private SagaEngine<Trip> engine;

    @AfterEach
    void close() {
        if (engine != null) engine.close();
        store.close();
    }

    private SagaDefinition<Trip> saga(boolean fold) {
        SagaDefinition.Builder<Trip> builder = SagaDefinition.builder("Trip", Trip.class)
                .step("charge").invoke((trip, step) -> {
                    store.append(StreamId.of("ChargeRequest", step.sagaId()), ExpectedVersion.any(),
                            List.of(SagaMessages.request("Trip", step, "ChargeRequested", trip)));
                    return SagaReply.awaiting();
                }).compensate((trip, step) -> calls.add("refund " + trip.id()))
                .timeout(TIMEOUT).retry(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        if (fold) builder.onDone(Charged.class, (trip, charged) -> trip.withCharge(charged.chargeId()));
        return builder.step("confirm").invoke((trip, step) -> {
                    calls.add("confirm " + trip.chargeId());
                    return SagaReply.done(trip);
                })
                .compensationRetry(RetryPolicy.noRetry())
                .build();
    }

    private SagaEngine<Trip> engine(boolean fold) {
        engine = SagaEngine.builder(store, saga(fold)).deadLetters(deadLetters).clock(clock)
                .pollInterval(Duration.ofMillis(50)).build();
        return engine;
    }

    private Message lastRequest() {
        return store.readAll(ReadAllOptions.after(Position.BEGINNING).category("ChargeRequest")).stream()
                .map(Message::of).toList().getLast();
    }

    /** The participant's side: appends its reply where {@link SagaMessages#replyStream} says, returns it as received. */
    private Message reply(Message request, NewEvent reply) {
        StreamId to = SagaMessages.replyStream(request);
        store.append(to, ExpectedVersion.any(), List.of(reply));
        return store.readAll(ReadAllOptions.after(Position.BEGINNING).category(to.category())).stream()
                .map(Message::of).toList().getLast();
    }

    @Test
    void theParticipantsResultIsFoldedIntoTheSagaDataByOnDone() throws Exception {
        SagaEngine<Trip> engine = engine(true);
        engine.start("t-1", new Trip("t-1", null, "window seat"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        Message request = lastRequest();
        assertThat(SagaMessages.replyStream(request)).isEqualTo(StreamId.of("TripReply", "t-1"));
        engine.replyHandler().handle(reply(request, SagaMessages.done(request, new Charged("ch-42"))));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        SagaState<Trip> state = engine.find("t-1").orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(state.data()).isEqualTo(new Trip("t-1", "ch-42", "window seat"));
        assertThat(calls).containsExactly("confirm ch-42");
    }

    @Test
    void aDoneReplyWithoutResultLeavesTheDataAsItWas() throws Exception {
        SagaEngine<Trip> engine = engine(true);
        engine.start("t-2", new Trip("t-2", null, "aisle"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        Message request = lastRequest();
        engine.replyHandler().handle(reply(request, SagaMessages.done(request)));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        SagaState<Trip> state = engine.find("t-2").orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(state.data()).isEqualTo(new Trip("t-2", null, "aisle"));
    }

    @Test
    void withoutOnDoneTheResultIsReadAsTheSagasNewData() throws Exception {
        SagaEngine<Trip> engine = engine(false);
        engine.start("t-3", new Trip("t-3", null, "aisle"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        Message request = lastRequest();
        engine.replyHandler().handle(reply(request, SagaMessages.done(request, new Trip("t-3", "ch-7", "upgraded"))));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(engine.find("t-3").orElseThrow().data()).isEqualTo(new Trip("t-3", "ch-7", "upgraded"));
    }

    @Test
    void aResultThatDoesNotReadAsTheFoldsTypeIsRefusedNamingTheTypeAndTheAttemptStaysOpen() throws Exception {
        SagaEngine<Trip> engine = engine(true);
        engine.start("t-4", new Trip("t-4", null, "x"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        Message request = lastRequest();
        Message bad = reply(request, SagaMessages.done(request, List.of("not", "an", "object")));
        assertThatThrownBy(() -> engine.replyHandler().handle(bad))
                .isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("does not read as Charged");

        SagaState<Trip> state = engine.find("t-4").orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.RUNNING);
        assertThat(state.open()).hasValueSatisfying(open -> assertThat(open.step()).isEqualTo("charge"));
    }

    @Test
    void aReplyNamingAStepTheSagaDoesNotHaveIsRefused() throws Exception {
        SagaEngine<Trip> engine = engine(true);
        engine.start("t-5", new Trip("t-5", null, "x"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        Message request = lastRequest();
        var forged = new StepContext("t-5", "teleport", 1, "t-5:teleport", clock.instant().plusSeconds(60));
        store.append(StreamId.of("ChargeRequest", "t-5"), ExpectedVersion.any(),
                List.of(SagaMessages.request("Trip", forged, "TeleportRequested", java.util.Map.of("to", "mars"))));
        Message forgedRequest = lastRequest();
        Message bad = reply(forgedRequest, SagaMessages.done(forgedRequest));

        assertThatThrownBy(() -> engine.replyHandler().handle(bad))
                .isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("step 'teleport'");
        assertThat(engine.find("t-5").orElseThrow().open()).isPresent();
        assertThat(request.stream()).isEqualTo("ChargeRequest-t-5");
    }

    @Test
    void aRemoteStepWhoseAttemptsAllTimedOutIsCompensatedBecauseAnAttemptMayHaveCharged() throws Exception {
        SagaEngine<Trip> engine = engine(true);
        engine.start("t-6", new Trip("t-6", null, "x"));
        for (int pass = 0; pass < 10 && engine.find("t-6").orElseThrow().status() == SagaStatus.RUNNING; pass++) {
            assertThat(engine.awaitIdle(IDLE)).isTrue();
            clock.advance(TIMEOUT.plusSeconds(2)); // past the open attempt's deadline, or past the retry delay
            engine.runDue();
        }
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(engine.timeline("t-6").stream().filter(SagaEvent.StepTimedOut.class::isInstance)).hasSize(2);

        SagaState<Trip> state = engine.find("t-6").orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(calls).containsExactly("refund t-6");
    }

    @Test
    void aRefusedStepIsNotCompensated() throws Exception {
        SagaEngine<Trip> engine = engine(true);
        engine.start("t-7", new Trip("t-7", null, "x"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        Message request = lastRequest();
        engine.replyHandler().handle(reply(request, SagaMessages.refused(request, "CARD_DECLINED")));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        SagaState<Trip> state = engine.find("t-7").orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(state.failure()).contains("CARD_DECLINED");
        assertThat(calls).isEmpty();
    }

    @Test
    void aFailedReplyIsAFailedAttemptRetriedByTheStepsPolicyWithoutWaitingForTheDeadline() throws Exception {
        SagaEngine<Trip> engine = engine(true);
        engine.start("t-8", new Trip("t-8", null, "x"));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        Message first = lastRequest();
        engine.replyHandler().handle(reply(first, SagaMessages.failed(first, "gateway down")));
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(engine.timeline("t-8")).filteredOn(SagaEvent.StepFailed.class::isInstance).singleElement()
                .isInstanceOfSatisfying(SagaEvent.StepFailed.class, failed -> {
                    assertThat(failed.error()).isEqualTo("participant failed: gateway down");
                    assertThat(failed.retryAt()).isNotNull();
                });

        clock.advance(Duration.ofSeconds(2)); // past the retry delay, well before the first attempt's deadline
        engine.runDue();
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        Message second = lastRequest();
        assertThat(SagaMessages.correlation(second).attempt()).isEqualTo(2);
        engine.replyHandler().handle(reply(second, SagaMessages.done(second, new Charged("ch-2"))));
        assertThat(engine.awaitIdle(IDLE)).isTrue();

        assertThat(engine.find("t-8").orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(engine.find("t-8").orElseThrow().data().chargeId()).isEqualTo("ch-2");
    }

    @Test
    void aStepWhoseEveryAttemptFailedIsUndoneAndAFailureWithoutErrorIsRefusedAsMalformed() throws Exception {
        SagaEngine<Trip> engine = engine(true);
        engine.start("t-9", new Trip("t-9", null, "x"));
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThat(engine.awaitIdle(IDLE)).isTrue();
            Message request = lastRequest();
            engine.replyHandler().handle(reply(request, SagaMessages.failed(request, "gateway down")));
            assertThat(engine.awaitIdle(IDLE)).isTrue();
            clock.advance(Duration.ofSeconds(2));
            engine.runDue();
        }
        assertThat(engine.awaitIdle(IDLE)).isTrue();
        assertThat(engine.find("t-9").orElseThrow().status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(calls).containsExactly("refund t-9");

        Message request = lastRequest();
        store.append(SagaMessages.replyStream(request), ExpectedVersion.any(), List.of(new dev.factum.event.NewEvent(
                SagaMessages.REPLY_TYPE, "{\"outcome\":\"failed\"}", SagaMessages.done(request).metadata())));
        Message bad = Message.of(store.readAll(ReadAllOptions.after(Position.BEGINNING).category("TripReply")).getLast());
        assertThatThrownBy(() -> engine.replyHandler().handle(bad)).isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("failed without an error");
    }
}
