// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaParticipant.Answer;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaStatus;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SagaFixture with a definition that sends its requests through an outbox: the requests asserted, answers as messages. */
class SagaFixtureOutboxTest {
    record Trip(String id, String room, String receipt) {}

    record RoomRequested(String tripId) {}

    record Room(String number) {}

    record Receipt(String id) {}

    private static SagaReply<Trip> ask(EventStore outbox, dev.factum.saga.StepContext step, String type, Object body) {
        outbox.append(StreamId.of("TripRequest", step.sagaId()), ExpectedVersion.any(),
                List.of(SagaMessages.request("TripSaga", step, type, body)));
        return SagaReply.awaiting();
    }

    private static SagaDefinition<Trip> saga(EventStore outbox) {
        return SagaDefinition.builder("TripSaga", Trip.class)
                .step("book-room").invoke((t, s) -> ask(outbox, s, "RoomRequested", new RoomRequested(t.id())))
                    .onDone(Room.class, (t, room) -> new Trip(t.id(), room.number(), t.receipt()))
                    .compensateRemotely((t, s) -> ask(outbox, s, "RoomCancellationRequested", new RoomRequested(t.id())))
                .step("charge").invoke((t, s) -> ask(outbox, s, "ChargeRequested", new RoomRequested(t.id())))
                    .onDone(Receipt.class, (t, receipt) -> new Trip(t.id(), t.room(), receipt.id()))
                    .retry(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .compensationRetry(RetryPolicy.noRetry())
                .build();
    }

    @Test
    void theRequestsSentAreAssertedAndAnswersAreFoldedByOnDone() {
        try (var fixture = SagaFixture.of(SagaFixtureOutboxTest::saga)) {
            fixture.when("t1", new Trip("t1", null, null))
                    .thenRequested("RoomRequested")
                    .whenAnswered(Answer.done(new Room("101")))
                    .thenRequested("RoomRequested", "ChargeRequested")
                    .whenAnswered(Answer.done(new Receipt("r-9")))
                    .then(SagaStatus.COMPLETED)
                    .thenState(state -> assertThat(state.data()).isEqualTo(new Trip("t1", "101", "r-9")));
            assertThat(fixture.requests().getFirst().body()).isEqualTo("{\"tripId\":\"t1\"}");
        }
    }

    @Test
    void aFailedAnswerIsRetriedAndARefusalCompensatesRemotely() {
        try (var fixture = SagaFixture.of(SagaFixtureOutboxTest::saga)) {
            fixture.when("t2", new Trip("t2", null, null))
                    .whenAnswered(Answer.done(new Room("7")))
                    .whenAnswered(Answer.failed("bank offline"))
                    .whenTimePasses(Duration.ofSeconds(1)) // the retry delay
                    .thenRequested("RoomRequested", "ChargeRequested", "ChargeRequested")
                    .whenAnswered(Answer.refused("CARD_DECLINED"))
                    .thenRequested("RoomRequested", "ChargeRequested", "ChargeRequested", "RoomCancellationRequested")
                    .then(SagaStatus.COMPENSATING)
                    .whenAnswered(Answer.done())
                    .then(SagaStatus.COMPENSATED)
                    .thenCompensated("book-room")
                    .thenState(state -> assertThat(state.failure()).hasValue("CARD_DECLINED"));
        }
    }

    @Test
    void answeringWithoutAnOpenAttemptOrWithoutARequestFailsNamingWhy() {
        try (var fixture = SagaFixture.of(SagaFixtureOutboxTest::saga)) {
            fixture.when("t3", new Trip("t3", null, null)).whenAnswered(Answer.refused("NO_ROOM"))
                    .then(SagaStatus.COMPENSATED);
            assertThatThrownBy(() -> fixture.whenAnswered(Answer.done()))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("has no open attempt");
        }
        SagaDefinition<Trip> silent = SagaDefinition.builder("TripSaga", Trip.class)
                .step("book-room").invoke((t, s) -> SagaReply.awaiting()).build(); // sends nothing
        try (var fixture = SagaFixture.of(silent)) {
            fixture.when("t4", new Trip("t4", null, null));
            assertThatThrownBy(() -> fixture.whenAnswered(Answer.done()))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("sent no request for step 'book-room' attempt 1");
        }
    }
}
