// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.NewEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaEvent;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaStatus;
import dev.factum.saga.StepContext;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;
import dev.factum.test.VirtualClock;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.InProcessTransport;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Orchestration with remote participants on PostgreSQL: the saga's requests are outbox events in the schema, the
 * hotel and account services consume them through an {@link InProcessTransport} over the store and append their
 * replies to {@code TripSagaReply-<id>}, which the saga's reply consumer hands to {@link SagaEngine#replyHandler()}.
 */
class PostgresSagaRemoteTest {
    record Trip(String id, String traveller, String room, String receipt) {
        Trip withRoom(String number) {
            return new Trip(id, traveller, number, receipt);
        }

        Trip withReceipt(String number) {
            return new Trip(id, traveller, room, number);
        }
    }

    /** The hotel's result: the room it booked. */
    record Booking(String room) {}

    /** The account service's result. */
    record Receipt(String number) {}

    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String SAGA = "TripSaga";
    private static final ObjectMapper JSON = EventCodec.defaultMapper();

    private final PostgresStoreFixture fixture = new PostgresStoreFixture();
    private final VirtualClock clock = new VirtualClock();
    /** The store the saga's actions append their requests to (a new instance after a restart). */
    private final AtomicReference<EventStore> outbox = new AtomicReference<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) closeable.close();
        fixture.close();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private final SagaDefinition<Trip> saga = SagaDefinition.builder(SAGA, Trip.class)
            .step("book-hotel").invoke((trip, step) -> request("HotelRequest", step, "RoomRequested", trip))
            .onDone(Booking.class, (trip, booking) -> trip.withRoom(booking.room()))
            .compensateRemotely((trip, step) -> request("HotelRequest", step, "RoomCancelled", trip))
            .timeout(TIMEOUT).retry(RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(1)))
            .step("charge-account").invoke((trip, step) -> request("AccountRequest", step, "ChargeRequested", trip))
            .onDone(Receipt.class, (trip, receipt) -> trip.withReceipt(receipt.number()))
            .timeout(TIMEOUT)
            .step("confirm").invoke((trip, step) -> SagaReply.done(trip))
            .build();

    private SagaReply<Trip> request(String category, StepContext step, String type, Trip trip) {
        outbox.get().append(StreamId.of(category, step.sagaId()), ExpectedVersion.any(),
                List.of(SagaMessages.request(SAGA, step, type, trip)));
        return SagaReply.awaiting();
    }

    private SagaEngine<Trip> engine(PostgresEventStore store) {
        return SagaEngine.builder(store, saga).deadLetters(store.deadLetterStore()).clock(clock)
                .pollInterval(Duration.ofMillis(50)).build();
    }

    private InProcessTransport transport(PostgresEventStore store) {
        return closing(new InProcessTransport(store, store.checkpointStore(), store.deadLetterStore(), clock,
                duration -> {}, Duration.ofMillis(50)));
    }

    /**
     * The hotel and the account service, on the same schema as the saga (their own streams): each works once per
     * idempotency key, answers a repeated request with the same result, and replies through the store.
     */
    static final class Partners {
        final EventStore store;
        final Map<String, String> rooms = new ConcurrentHashMap<>();
        final Set<String> cancelled = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        final AtomicInteger numbers = new AtomicInteger();
        /** Requests left unanswered (their reply is lost) while it says yes. */
        volatile Predicate<SagaMessages.Correlation> silent = asked -> false;

        Partners(EventStore store) {
            this.store = store;
        }

        void hotel(Message request) throws Exception {
            SagaMessages.Correlation asked = count(request);
            if (silent.test(asked)) return;
            if (request.type().equals("RoomCancelled")) {
                cancelled.add(asked.sagaId());
                reply(request, SagaMessages.done(request));
                return;
            }
            String room = rooms.computeIfAbsent(asked.sagaId(), id -> "R" + numbers.incrementAndGet());
            reply(request, SagaMessages.done(request, new Booking(room)));
        }

        void account(Message request) throws Exception {
            count(request);
            Trip trip = JSON.readValue(request.body(), Trip.class);
            reply(request, trip.traveller().startsWith("broke")
                    ? SagaMessages.refused(request, "INSUFFICIENT_FUNDS")
                    : SagaMessages.done(request, new Receipt("C-" + trip.id())));
        }

        private SagaMessages.Correlation count(Message request) {
            SagaMessages.Correlation asked = SagaMessages.correlation(request);
            requests.computeIfAbsent(asked.idempotencyKey() + "#" + asked.attempt(), k -> new AtomicInteger()).incrementAndGet();
            return asked;
        }

        void reply(Message request, NewEvent reply) {
            store.append(SagaMessages.replyStream(request), ExpectedVersion.any(), List.of(reply));
        }
    }

    private Partners partners(InProcessTransport transport, EventStore store) {
        Partners partners = new Partners(store);
        transport.consume(ConsumerOptions.of("hotel", "HotelRequest.*"), partners::hotel);
        transport.consume(ConsumerOptions.of("accounts", "AccountRequest.*"), partners::account);
        return partners;
    }

    private MessageConsumer replies(InProcessTransport transport, String name, SagaEngine<Trip> engine) {
        return transport.consume(ConsumerOptions.of(name, SagaMessages.replyCategory(SAGA) + ".*"), engine.replyHandler());
    }

    private static long count(EventStore store, String category) {
        return store.readAll(ReadAllOptions.fromStart().category(category)).size();
    }

    private static <E extends SagaEvent> List<E> events(SagaEngine<Trip> engine, String id, Class<E> type) {
        return engine.timeline(id).stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void participantsAnswerWithTheirOwnResultsWhichOnDoneFoldsIntoTheTrip() throws Exception {
        PostgresEventStore store = fixture.open(StoreLimits.DEFAULT);
        outbox.set(store);
        SagaEngine<Trip> engine = closing(engine(store).runInBackground());
        InProcessTransport transport = transport(store);
        Partners partners = partners(transport, store);
        replies(transport, "trip-saga-replies", engine);

        for (int i = 1; i <= 5; i++) engine.start("t" + i, new Trip("t" + i, "ada", null, null));

        for (int i = 1; i <= 5; i++) {
            String id = "t" + i;
            await().atMost(IDLE).until(() -> engine.find(id).orElseThrow().status() == SagaStatus.COMPLETED);
            Trip trip = engine.find(id).orElseThrow().data();
            assertThat(trip.room()).as("the hotel's room, folded in by onDone").isEqualTo(partners.rooms.get(id)).isNotNull();
            assertThat(trip.receipt()).isEqualTo("C-" + id);
            assertThat(trip.traveller()).as("the rest of the data stays").isEqualTo("ada");
        }
        assertThat(count(store, "HotelRequest")).isEqualTo(5);
        assertThat(count(store, "AccountRequest")).isEqualTo(5);
        assertThat(count(store, "TripSagaReply")).isEqualTo(10);
        assertThat(partners.requests).hasSize(10).allSatisfy((key, n) -> assertThat(n).as(key).hasValue(1));
        assertThat(partners.cancelled).isEmpty();
    }

    @Test
    void aRefusalCompensatesTheBookedRoomThroughTheHotelAndTheOtherTripCompletes() throws Exception {
        PostgresEventStore store = fixture.open(StoreLimits.DEFAULT);
        outbox.set(store);
        SagaEngine<Trip> engine = closing(engine(store).runInBackground());
        InProcessTransport transport = transport(store);
        Partners partners = partners(transport, store);
        replies(transport, "trip-saga-replies", engine);

        engine.start("broke-1", new Trip("broke-1", "broke bob", null, null));
        engine.start("t1", new Trip("t1", "ada", null, null));

        await().atMost(IDLE).until(() -> engine.find("broke-1").orElseThrow().status() == SagaStatus.COMPENSATED);
        await().atMost(IDLE).until(() -> engine.find("t1").orElseThrow().status() == SagaStatus.COMPLETED);
        var broke = engine.find("broke-1").orElseThrow();
        assertThat(broke.failure()).hasValue("INSUFFICIENT_FUNDS");
        assertThat(broke.data().room()).as("the room was booked before the refusal").isEqualTo(partners.rooms.get("broke-1"));
        assertThat(events(engine, "broke-1", SagaEvent.StepRefused.class)).singleElement()
                .satisfies(refused -> assertThat(refused.step()).isEqualTo("charge-account"));
        assertThat(engine.timeline("broke-1")).filteredOn(e -> e instanceof SagaEvent.CompensationAwaiting
                        || e instanceof SagaEvent.CompensationSucceeded)
                .extracting(Object::getClass).containsExactly(SagaEvent.CompensationAwaiting.class, SagaEvent.CompensationSucceeded.class);
        assertThat(partners.cancelled).containsExactly("broke-1");
        // the undo request went out once, through the store, with the compensation's idempotency key
        List<Message> cancels = store.readAll(ReadAllOptions.fromStart().category("HotelRequest")).stream().map(Message::of)
                .filter(m -> m.type().equals("RoomCancelled")).toList();
        assertThat(cancels).singleElement()
                .satisfies(m -> assertThat(SagaMessages.correlation(m).idempotencyKey()).isEqualTo("broke-1:book-hotel:compensate"));
        assertThat(partners.requests).allSatisfy((key, n) -> assertThat(n).as(key).hasValue(1));
    }

    @Test
    void aSagaAwaitingItsReplyAcrossAStoreAndEngineRestartRecordsTheLaterReplyOnce() throws Exception {
        PostgresEventStore before = fixture.open(StoreLimits.DEFAULT);
        outbox.set(before);
        SagaEngine<Trip> first = closing(engine(before));
        first.start("t1", new Trip("t1", "ada", null, null));
        first.start("t2", new Trip("t2", "grace", null, null));
        assertThat(first.awaitIdle(IDLE)).isTrue();
        assertThat(first.timeline("t1")).last().isInstanceOf(SagaEvent.StepAwaiting.class);
        assertThat(first.timeline("t2")).last().isInstanceOf(SagaEvent.StepAwaiting.class);
        first.close();
        before.close(); // the saga's process stops; the hotel has not answered yet

        PostgresEventStore after = fixture.open(StoreLimits.DEFAULT);
        outbox.set(after);
        SagaEngine<Trip> second = closing(engine(after).runInBackground());
        InProcessTransport transport = transport(after);
        Partners partners = partners(transport, after);
        MessageConsumer replies = replies(transport, "trip-saga-replies", second);

        await().atMost(IDLE).until(() -> second.find("t1").orElseThrow().status() == SagaStatus.COMPLETED
                && second.find("t2").orElseThrow().status() == SagaStatus.COMPLETED);
        await().atMost(IDLE).until(() -> replies.status().handled() == count(after, "TripSagaReply"));
        for (String id : List.of("t1", "t2")) {
            assertThat(events(second, id, SagaEvent.StepStarted.class)).extracting(SagaEvent.StepStarted::step)
                    .as("the new engine did not send the hotel request again").containsExactly("book-hotel", "charge-account", "confirm");
            assertThat(events(second, id, SagaEvent.StepSucceeded.class)).extracting(SagaEvent.StepSucceeded::step)
                    .containsExactly("book-hotel", "charge-account", "confirm");
            assertThat(second.find(id).orElseThrow().data().room()).isEqualTo(partners.rooms.get(id));
        }
        assertThat(count(after, "HotelRequest")).isEqualTo(2);
        assertThat(partners.requests).containsOnlyKeys("t1:book-hotel#1", "t2:book-hotel#1", "t1:charge-account#1", "t2:charge-account#1");
    }

    @Test
    void aLateReplyToATimedOutAttemptAndADuplicateReplyAreIgnored() throws Exception {
        PostgresEventStore store = fixture.open(StoreLimits.DEFAULT);
        outbox.set(store);
        SagaEngine<Trip> engine = closing(engine(store).runInBackground());
        InProcessTransport transport = transport(store);
        Partners partners = partners(transport, store);
        MessageConsumer replies = replies(transport, "trip-saga-replies", engine);
        partners.silent = asked -> asked.step().equals("book-hotel"); // the hotel's replies are sent below, by hand

        engine.start("t1", new Trip("t1", "ada", null, null));
        await().atMost(IDLE).until(() -> engine.timeline("t1").getLast() instanceof SagaEvent.StepAwaiting);
        clock.advance(TIMEOUT); // attempt 1 times out without an answer
        await().atMost(IDLE).until(() -> !events(engine, "t1", SagaEvent.StepTimedOut.class).isEmpty());
        clock.advance(Duration.ofSeconds(1)); // the retry is due: attempt 2, same idempotency key
        await().atMost(IDLE).until(() -> partners.requests.containsKey("t1:book-hotel#2")
                && engine.timeline("t1").getLast() instanceof SagaEvent.StepAwaiting);

        List<Message> requests = store.readAll(ReadAllOptions.fromStart().category("HotelRequest")).stream()
                .map(Message::of).toList();
        assertThat(requests).extracting(m -> SagaMessages.correlation(m).attempt()).containsExactly(1, 2);
        Message first = requests.get(0);
        Message second = requests.get(1);
        partners.reply(first, SagaMessages.done(first, new Booking("LATE"))); // while attempt 2 is open: ignored
        partners.reply(second, SagaMessages.done(second, new Booking("R-2")));
        partners.reply(second, SagaMessages.done(second, new Booking("DUPLICATE"))); // a second answer: ignored

        await().atMost(IDLE).until(() -> engine.find("t1").orElseThrow().status() == SagaStatus.COMPLETED);
        await().atMost(IDLE).until(() -> replies.status().handled() == count(store, "TripSagaReply"));
        assertThat(replies.status().handled()).as("the late, the right, the duplicate and the account's reply").isEqualTo(4);
        assertThat(events(engine, "t1", SagaEvent.StepSucceeded.class)).filteredOn(e -> e.step().equals("book-hotel"))
                .singleElement().satisfies(e -> assertThat(e.attempt()).isEqualTo(2));
        assertThat(engine.find("t1").orElseThrow().data().room()).isEqualTo("R-2");
        assertThat(replies.status().deadLettered()).as("ignored replies are acknowledged, not dead letters").isZero();
    }

    @Test
    void twoProcessesDeliveringEveryReplyRecordEachOnce() throws Exception {
        PostgresEventStore storeOne = fixture.open(StoreLimits.DEFAULT);
        PostgresEventStore storeTwo = fixture.open(StoreLimits.DEFAULT);
        outbox.set(storeOne);
        SagaEngine<Trip> one = closing(engine(storeOne).runInBackground());
        SagaEngine<Trip> two = closing(engine(storeTwo).runInBackground());
        InProcessTransport transportOne = transport(storeOne);
        InProcessTransport transportTwo = transport(storeTwo);
        Partners partners = partners(transportOne, storeOne);
        // each process consumes every reply under its own name: each reply reaches both engines
        MessageConsumer repliesOne = replies(transportOne, "trip-replies-one", one);
        MessageConsumer repliesTwo = replies(transportTwo, "trip-replies-two", two);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) ids.add((i % 2 == 0 ? one : two).start("t" + i, new Trip("t" + i, "ada", null, null)));

        for (String id : ids) {
            await().atMost(IDLE).until(() -> one.find(id).orElseThrow().status() == SagaStatus.COMPLETED);
        }
        await().atMost(IDLE).until(() -> repliesOne.status().handled() == 20 && repliesTwo.status().handled() == 20);
        for (String id : ids) {
            assertThat(events(one, id, SagaEvent.StepSucceeded.class)).extracting(SagaEvent.StepSucceeded::step)
                    .containsExactly("book-hotel", "charge-account", "confirm");
            assertThat(one.find(id).orElseThrow().data().room()).isEqualTo(partners.rooms.get(id));
        }
        assertThat(partners.requests).hasSize(20).allSatisfy((key, n) -> assertThat(n).as(key).hasValue(1));
    }
}
