// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.NewEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.relay.Relay;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaEvent;
import dev.factum.saga.SagaMessages;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaStatus;
import dev.factum.saga.StepContext;
import dev.factum.sqlite.SqliteConfig;
import dev.factum.sqlite.SqliteEventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.test.VirtualClock;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A saga orchestrating remote participants over the real broker. The trip service (its own SQLite store) runs the
 * saga; its requests are outbox events its relay publishes to RabbitMQ. The hotel and account services (another
 * SQLite store, another transport) consume them from their queues and append their replies to
 * {@code TripSagaReply-<id>} in their own store, which their relay publishes; the trip service consumes the replies
 * from its queue with {@link SagaEngine#replyHandler()}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RabbitMqSagaTest {
    record Trip(String id, String traveller, String room, String receipt) {
        Trip withRoom(String number) {
            return new Trip(id, traveller, number, receipt);
        }

        Trip withReceipt(String number) {
            return new Trip(id, traveller, room, number);
        }
    }

    /** The hotel's result. */
    record Booking(String room) {}

    /** The account service's result. */
    record Receipt(String number) {}

    private static final String SAGA = "TripSaga";
    private static final String REPLIES = "trip-saga-replies";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = EventCodec.defaultMapper();

    @TempDir
    Path dir;
    private final VirtualClock clock = new VirtualClock();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** What the trip service's process holds, closed when it stops. */
    private final List<AutoCloseable> tripService = new ArrayList<>();
    private RabbitFixture rabbit;
    private volatile SqliteEventStore trips;
    private SqliteEventStore partnerStore;
    private Relay partnerRelay;
    private SagaEngine<Trip> engine;
    private MessageConsumer replies;
    private final Map<String, String> rooms = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    /** How the hotel answers a room request (null: not now); by default with the trip's room, booked once per trip. */
    private volatile BiFunction<Message, String, NewEvent> hotelAnswer = (request, room) -> SagaMessages.done(request, new Booking(room));

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
        trips.append(StreamId.of(category, step.sagaId()), ExpectedVersion.any(),
                List.of(SagaMessages.request(SAGA, step, type, trip)));
        return SagaReply.awaiting();
    }

    @BeforeEach
    void start() {
        rabbit = new RabbitFixture();
        partnerStore = SqliteEventStore.open(SqliteConfig.of(dir.resolve("partners.db")));

        // the partners' process: its own transport, consuming the requests, replying through its store
        RabbitMqTransport partnerTransport = rabbit.transport(Broker.config(rabbit.prefix));
        ConsumerOptions hotel = ConsumerOptions.of("hotel", "HotelRequest.*");
        ConsumerOptions accounts = ConsumerOptions.of("accounts", "AccountRequest.*");
        rabbit.declare(hotel);
        rabbit.declare(accounts);
        closing(partnerTransport.consume(hotel, this::hotel));
        closing(partnerTransport.consume(accounts, this::account));
        partnerRelay = closing(Relay.builder("partners", partnerStore, partnerStore.checkpointStore(), partnerTransport)
                .bindings(SagaMessages.replyCategory(SAGA) + ".*")
                .pollInterval(Duration.ofMillis(100)).retryDelay(Duration.ofMillis(200)).build().start());

        startTripService();
    }

    /** The trip service's process: its store, the engine, the relay of its requests, the consumer of the replies. */
    private void startTripService() {
        trips = SqliteEventStore.open(SqliteConfig.of(dir.resolve("trips.db")));
        tripService.add(trips);
        engine = trip(SagaEngine.builder(trips, saga).deadLetters(trips.deadLetterStore()).clock(clock)
                .pollInterval(Duration.ofMillis(50)).build().runInBackground());
        replies = trip(rabbit.consume(ConsumerOptions.of(REPLIES, SagaMessages.replyCategory(SAGA) + ".*"),
                engine.replyHandler()));
        trip(Relay.builder("trips", trips, trips.checkpointStore(), rabbit.transport)
                .bindings("HotelRequest.*", "AccountRequest.*")
                .pollInterval(Duration.ofMillis(100)).retryDelay(Duration.ofMillis(200)).build().start());
    }

    private void stopTripService() throws Exception {
        for (AutoCloseable closeable : tripService.reversed()) closeable.close();
        tripService.clear();
    }

    @AfterEach
    void stop() throws Exception {
        stopTripService();
        for (AutoCloseable closeable : closeables.reversed()) closeable.close();
        if (rabbit != null) rabbit.close();
        if (partnerStore != null) partnerStore.close();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private <T extends AutoCloseable> T trip(T closeable) {
        tripService.add(closeable);
        return closeable;
    }

    /** The hotel: books one room per trip (a repeated request gets the same room), cancels on request. */
    private void hotel(Message request) {
        SagaMessages.Correlation asked = count(request);
        if (request.type().equals("RoomCancelled")) {
            cancelled.add(asked.sagaId());
            reply(request, SagaMessages.done(request));
            return;
        }
        String room = rooms.computeIfAbsent(asked.sagaId(), id -> "R-" + id);
        NewEvent answer = hotelAnswer.apply(request, room);
        if (answer != null) reply(request, answer);
    }

    /** The account service: refuses a broke traveller. */
    private void account(Message request) throws Exception {
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

    private void reply(Message request, NewEvent reply) {
        partnerStore.append(SagaMessages.replyStream(request), ExpectedVersion.any(), List.of(reply));
    }

    private SagaStatus status(String id) {
        return engine.find(id).orElseThrow().status();
    }

    private <E extends SagaEvent> List<E> events(String id, Class<E> type) {
        return engine.timeline(id).stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void several_sagas_complete_with_the_participants_results_folded_in() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) ids.add(engine.start("t" + i, new Trip("t" + i, "ada", null, null)));

        for (String id : ids) await().atMost(WAIT).until(() -> status(id) == SagaStatus.COMPLETED);
        for (String id : ids) {
            Trip trip = engine.find(id).orElseThrow().data();
            assertThat(trip.room()).isEqualTo("R-" + id);
            assertThat(trip.receipt()).isEqualTo("C-" + id);
            assertThat(events(id, SagaEvent.StepStarted.class)).as("no attempt timed out or was retried").hasSize(3);
        }
        assertThat(requests).as("one request per step and trip, each answered")
                .hasSize(40).allSatisfy((key, n) -> assertThat(n).as(key).hasValue(1));
        await().atMost(WAIT).until(() -> replies.status().handled() == 40);
        assertThat(replies.status().deadLettered()).isZero();
        assertThat(cancelled).isEmpty();
    }

    @Test
    void a_refusal_compensates_the_booked_room_through_the_hotel() {
        engine.start("broke-1", new Trip("broke-1", "broke bob", null, null));
        engine.start("t1", new Trip("t1", "ada", null, null));

        await().atMost(WAIT).until(() -> status("broke-1") == SagaStatus.COMPENSATED);
        await().atMost(WAIT).until(() -> status("t1") == SagaStatus.COMPLETED);
        var broke = engine.find("broke-1").orElseThrow();
        assertThat(broke.failure()).hasValue("INSUFFICIENT_FUNDS");
        assertThat(broke.data().room()).as("booked before the refusal").isEqualTo("R-broke-1");
        assertThat(events("broke-1", SagaEvent.StepRefused.class)).singleElement()
                .satisfies(refused -> assertThat(refused.step()).isEqualTo("charge-account"));
        assertThat(events("broke-1", SagaEvent.CompensationSucceeded.class)).singleElement()
                .satisfies(undone -> assertThat(undone.step()).isEqualTo("book-hotel"));
        assertThat(cancelled).containsExactly("broke-1");
        assertThat(requests).containsOnlyKeys("broke-1:book-hotel#1", "broke-1:charge-account#1",
                "broke-1:book-hotel:compensate#1", "t1:book-hotel#1", "t1:charge-account#1");
    }

    @Test
    void replies_published_while_the_trip_service_is_down_complete_its_sagas_after_the_restart() throws Exception {
        List<Message> held = new CopyOnWriteArrayList<>();
        hotelAnswer = (request, room) -> {
            held.add(request); // the hotel answers later
            return null;
        };
        engine.start("t1", new Trip("t1", "ada", null, null));
        engine.start("t2", new Trip("t2", "grace", null, null));
        await().atMost(WAIT).until(() -> held.size() == 2);
        await().atMost(WAIT).until(() -> engine.timeline("t1").getLast() instanceof SagaEvent.StepAwaiting
                && engine.timeline("t2").getLast() instanceof SagaEvent.StepAwaiting);

        stopTripService();
        for (Message request : held) reply(request, SagaMessages.done(request, new Booking("R-" + SagaMessages.correlation(request).sagaId())));
        // published and confirmed: the replies wait in the trip service's durable queue
        await().atMost(WAIT).until(() -> partnerRelay.status().published() == 2);
        hotelAnswer = (request, room) -> SagaMessages.done(request, new Booking(room));
        startTripService();

        await().atMost(WAIT).until(() -> status("t1") == SagaStatus.COMPLETED && status("t2") == SagaStatus.COMPLETED);
        for (String id : List.of("t1", "t2")) {
            assertThat(engine.find(id).orElseThrow().data().room()).isEqualTo("R-" + id);
            assertThat(events(id, SagaEvent.StepStarted.class)).extracting(SagaEvent.StepStarted::step)
                    .as("the restarted engine did not ask the hotel again").containsExactly("book-hotel", "charge-account", "confirm");
        }
        assertThat(requests).containsOnlyKeys("t1:book-hotel#1", "t2:book-hotel#1", "t1:charge-account#1", "t2:charge-account#1");
    }

    @Test
    void a_malformed_reply_goes_to_the_dead_letters_and_the_saga_finishes_by_its_timeout_and_retry() {
        // the hotel's first answer to g1 carries a result that is no Booking
        hotelAnswer = (request, room) -> SagaMessages.correlation(request).attempt() == 1
                && SagaMessages.correlation(request).sagaId().equals("g1")
                ? SagaMessages.done(request, List.of("no", "rooms")) : SagaMessages.done(request, new Booking(room));
        engine.start("g1", new Trip("g1", "ada", null, null));
        engine.start("t1", new Trip("t1", "ada", null, null));

        await().atMost(WAIT).until(() -> !rabbit.deadLetters.list(DeadLetterQuery.all().consumer(REPLIES)).isEmpty());
        DeadLetter letter = rabbit.deadLetters.list(DeadLetterQuery.all().consumer(REPLIES)).getFirst();
        assertThat(letter.reason()).contains("Booking");
        assertThat(letter.headers()).containsEntry(MessageHeaders.HEADER_PREFIX + SagaMessages.SAGA_ID, "g1")
                .containsEntry(MessageHeaders.TYPE, SagaMessages.REPLY_TYPE);
        await().atMost(WAIT).until(() -> status("t1") == SagaStatus.COMPLETED);
        assertThat(engine.find("g1").orElseThrow().open()).as("g1 still waits for attempt 1")
                .hasValueSatisfying(open -> assertThat(open.attempt()).isEqualTo(1));

        clock.advance(TIMEOUT); // attempt 1 times out
        await().atMost(WAIT).until(() -> !events("g1", SagaEvent.StepTimedOut.class).isEmpty());
        clock.advance(Duration.ofSeconds(1)); // the retry is due: attempt 2, same idempotency key

        await().atMost(WAIT).until(() -> status("g1") == SagaStatus.COMPLETED);
        assertThat(engine.find("g1").orElseThrow().data().room()).isEqualTo("R-g1");
        assertThat(events("g1", SagaEvent.StepSucceeded.class)).filteredOn(e -> e.step().equals("book-hotel"))
                .singleElement().satisfies(e -> assertThat(e.attempt()).isEqualTo(2));
        assertThat(requests).containsKeys("g1:book-hotel#1", "g1:book-hotel#2");
        assertThat(replies.status().deadLettered()).isEqualTo(1);
        assertThat(trips.readAll(ReadAllOptions.fromStart().category("HotelRequest")))
                .as("g1 asked twice, t1 once").hasSize(3);
    }
}
