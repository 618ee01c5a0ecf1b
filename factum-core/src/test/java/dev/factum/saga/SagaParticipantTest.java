// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.saga.SagaParticipant.Answer;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.transport.Message;
import dev.factum.transport.RejectedMessageException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SagaParticipantTest {
    record RoomRequested(String guest, int nights) {}

    record Room(String number) {}

    private final InMemoryEventStore store = new InMemoryEventStore();

    private final SagaParticipant hotel = SagaParticipant.builder(store)
            .on("RoomRequested", RoomRequested.class, (request, asked) -> {
                if (request.nights() > 14) return Answer.refused("NO_ROOM");
                if (request.nights() == 0) throw new IllegalStateException("hotel system down");
                return Answer.done(new Room("1" + request.nights()));
            })
            .on("RoomCancellationRequested", RoomRequested.class, (request, asked) -> Answer.done())
            .build();

    @AfterEach
    void close() {
        store.close();
    }

    private Message request(String type, Object body) {
        var context = new StepContext("t-1", "book-room", 2, "t-1:book-room", Instant.parse("2026-11-27T10:00:00Z"));
        store.append(StreamId.of("HotelRequest", "t-1"), ExpectedVersion.any(),
                List.of(SagaMessages.request("TripSaga", context, type, body)));
        return last("HotelRequest");
    }

    private Message last(String category) {
        List<RecordedEvent> events = store.readAll(ReadAllOptions.after(Position.BEGINNING).category(category));
        return events.isEmpty() ? null : Message.of(events.getLast());
    }

    @Test
    void aDoneAnswerIsAppendedAsTheReplyToTheSagasReplyStreamWithItsResult() throws Exception {
        Message request = request("RoomRequested", new RoomRequested("ada", 3));
        hotel.handle(request);

        Message reply = last("TripSagaReply");
        assertThat(reply.stream()).isEqualTo("TripSagaReply-t-1");
        assertThat(reply.type()).isEqualTo(SagaMessages.REPLY_TYPE);
        assertThat(reply.body()).isEqualTo("{\"outcome\":\"done\",\"result\":{\"number\":\"13\"}}");
        assertThat(reply.correlationId()).isEqualTo("t-1");
        assertThat(SagaMessages.correlation(reply)).isEqualTo(new SagaMessages.Correlation("TripSaga", "t-1",
                "book-room", 2, "t-1:book-room"));
    }

    @Test
    void aRefusalAndADoneWithoutResultAreRepliedAsSuch() throws Exception {
        hotel.handle(request("RoomRequested", new RoomRequested("ada", 30)));
        assertThat(last("TripSagaReply").body()).isEqualTo("{\"outcome\":\"refused\",\"reason\":\"NO_ROOM\"}");

        hotel.handle(request("RoomCancellationRequested", new RoomRequested("ada", 30)));
        assertThat(last("TripSagaReply").body()).isEqualTo("{\"outcome\":\"done\"}");
    }

    @Test
    void aRequestOfATypeItDoesNotHandleIsRefusedNamingTheTypesItHandles() {
        Message request = request("CarRequested", Map.of("model", "fiat"));
        assertThatThrownBy(() -> hotel.handle(request)).isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("'CarRequested'").hasMessageContaining("[RoomRequested, RoomCancellationRequested]");
        assertThat(last("TripSagaReply")).isNull();
    }

    @Test
    void aBodyThatDoesNotReadAsTheRequestTypeIsRefusedNamingIt() {
        Message request = request("RoomRequested", Map.of("nights", "many"));
        assertThatThrownBy(() -> hotel.handle(request)).isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("does not read as RoomRequested");
        assertThat(last("TripSagaReply")).isNull();
    }

    @Test
    void aRequestWithoutSagaHeadersIsRefusedNamingTheHeader() {
        store.append(StreamId.of("HotelRequest", "t-9"), ExpectedVersion.any(), List.of(new NewEvent("RoomRequested",
                "{\"guest\":\"bob\",\"nights\":2}", Metadata.create())));
        Message request = last("HotelRequest");
        assertThatThrownBy(() -> hotel.handle(request)).isInstanceOf(RejectedMessageException.class)
                .hasMessageContaining("has no 'saga-attempt' header");
    }

    @Test
    void aTechnicalFailureIsRepliedAsFailedWithTheErrorForTheSagaToRetry() throws Exception {
        Message request = request("RoomRequested", new RoomRequested("ada", 0));
        hotel.handle(request);
        assertThat(last("TripSagaReply").body())
                .isEqualTo("{\"outcome\":\"failed\",\"error\":\"IllegalStateException: hotel system down\"}");
    }

    @Test
    void aBadDefinitionIsRefused() {
        assertThatThrownBy(() -> SagaParticipant.builder(store).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one request type");
        assertThatThrownBy(() -> SagaParticipant.builder(store)
                .on("A", RoomRequested.class, (r, a) -> Answer.done())
                .on("A", RoomRequested.class, (r, a) -> Answer.done()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'A' has two handlers");
    }
}
