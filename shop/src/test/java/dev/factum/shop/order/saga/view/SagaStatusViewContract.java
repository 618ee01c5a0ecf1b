// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga.view;

import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaState;
import dev.factum.saga.SagaStatus;
import dev.factum.shop.order.view.ViewDatabase;
import dev.factum.store.EventStore;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.Projections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The saga status read model over a real store and a real {@link SagaEngine}: a small saga whose runs complete, are
 * refused, fail a step, park on a failing compensation, are resolved or retried by an operator, or have not run yet;
 * after many of them, every row of {@link SagaStatusQueries} equals what the engine replays from the saga's stream
 * ({@link SagaEngine#find}), every status lists as many sagas as the streams hold, and the pages walk the sagas newest
 * first. Subclasses give the store, its dead-letter store and its view database.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class SagaStatusViewContract {
    static final String SAGA = "TripSaga";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** What one trip does: which step answers how. */
    enum Kind { COMPLETES, REFUSED, STEP_FAILS, PARKS }

    /** The test saga's data. */
    record Trip(String id, Kind kind) {}

    EventStore store;
    Projections projections;
    SagaStatusProjection projection;
    SagaStatusQueries queries;
    SagaEngine<Trip> engine;
    final AtomicBoolean cancellationsFail = new AtomicBoolean(true);

    abstract EventStore openStore();

    abstract CheckpointStore checkpoints(EventStore store);

    abstract DeadLetterStore deadLetters(EventStore store);

    abstract ViewDatabase database(EventStore store);

    @BeforeEach
    void open() {
        store = openStore();
        ViewDatabase database = database(store);
        projection = new SagaStatusProjection(database, SAGA);
        projections = Projections.builder(store, checkpoints(store)).add(projection).pollInterval(Duration.ofMillis(20))
                .build();
        queries = new SagaStatusQueries(projections, projection, database);
        engine = SagaEngine.builder(store, definition()).deadLetters(deadLetters(store)).build();
        projections.start();
    }

    @AfterEach
    void close() throws Exception {
        engine.close();
        projections.close();
        store.close();
    }

    private SagaDefinition<Trip> definition() {
        return SagaDefinition.builder(SAGA, Trip.class)
                .step("book-flight").invoke((trip, step) -> SagaReply.done(trip))
                    .compensate((trip, step) -> {
                        if (trip.kind() == Kind.PARKS && cancellationsFail.get()) {
                            throw new IllegalStateException("airline unreachable");
                        }
                    })
                .step("book-hotel").invoke((trip, step) -> trip.kind() == Kind.REFUSED
                        ? SagaReply.refused("NO_ROOMS") : SagaReply.done(trip))
                    .compensate((trip, step) -> { })
                .step("pay").invoke((trip, step) -> {
                    if (trip.kind() == Kind.STEP_FAILS || trip.kind() == Kind.PARKS) {
                        throw new IllegalStateException("card service down");
                    }
                    return SagaReply.done(trip);
                }).retry(RetryPolicy.noRetry())
                .compensationRetry(RetryPolicy.noRetry())
                .build();
    }

    private void runAll() throws InterruptedException {
        assertThat(engine.awaitIdle(WAIT)).as("the engine became idle").isTrue();
    }

    private void caughtUp() {
        assertThat(projections.awaitCheckpoint(projection.name(), store.headPosition(), WAIT)).as("caught up").isTrue();
    }

    private List<String> start(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            engine.start(id, new Trip(id, Kind.values()[i % Kind.values().length]));
            ids.add(id);
        }
        return ids;
    }

    @Test
    void after_many_sagas_every_row_equals_the_saga_replayed_from_its_stream() throws Exception {
        // given: 200 sagas run to their end, 30 of them parked; an operator resolves 10 and retries 10 (one once the
        // airline answers again, so they compensate), and 7 more sagas are started but not run yet
        List<String> ids = new ArrayList<>(start("trip", 200));
        runAll();
        List<String> parked = ids.stream().filter(id -> engine.find(id).orElseThrow().status() == SagaStatus.NEEDS_ATTENTION)
                .toList();
        assertThat(parked).hasSize(50);
        for (String id : parked.subList(0, 10)) engine.resolve(id, "rebooked by phone");
        cancellationsFail.set(false);
        for (String id : parked.subList(10, 20)) engine.retry(id, "airline back");
        runAll();
        ids.addAll(start("late", 7));

        // when
        caughtUp();

        // then
        Map<SagaStatus, Integer> counted = new EnumMap<>(SagaStatus.class);
        for (String id : ids) {
            SagaState<Trip> replayed = engine.find(id).orElseThrow();
            counted.merge(replayed.status(), 1, Integer::sum);
            SagaSummary row = queries.find(id).orElseThrow(() -> new AssertionError("no row for saga " + id));
            assertThat(row.saga()).isEqualTo(SAGA);
            assertThat(row.status()).as("status of %s", id).isEqualTo(replayed.status());
            assertThat(row.version()).as("version of %s", id).isEqualTo(replayed.version());
            assertThat(row.stepsDone()).as("steps done of %s", id).isEqualTo(replayed.stepsDone());
            assertThat(row.failure()).as("failure of %s", id).isEqualTo(replayed.failure());
            assertThat(row.deadLetter()).as("dead letter of %s", id).isEqualTo(replayed.deadLetter());
            assertThat(row.lastError()).as("last error of %s", id)
                    .isEqualTo(replayed.failures().isEmpty() ? Optional.empty()
                            : Optional.of(replayed.failures().getLast().error()));
            assertThat(row.updatedAt()).as("updated at of %s", id).isAfterOrEqualTo(row.startedAt());
        }
        assertThat(counted).containsEntry(SagaStatus.COMPLETED, 50).containsEntry(SagaStatus.COMPENSATED, 110)
                .containsEntry(SagaStatus.NEEDS_ATTENTION, 30).containsEntry(SagaStatus.RESOLVED, 10)
                .containsEntry(SagaStatus.RUNNING, 7);
        for (SagaStatus status : SagaStatus.values()) {
            SagaPage page = queries.list(Optional.of(status), SagaStatusQueries.MAX_LIMIT, 0);
            assertThat(page.total()).as("total of %s", status).isEqualTo((long) counted.getOrDefault(status, 0));
            assertThat(page.items()).as("rows of %s", status).hasSize(counted.getOrDefault(status, 0))
                    .allMatch(row -> row.status() == status);
        }
    }

    @Test
    void each_status_is_the_one_its_last_transition_names() throws Exception {
        engine.start("done", new Trip("done", Kind.COMPLETES));
        engine.start("no-rooms", new Trip("no-rooms", Kind.REFUSED));
        engine.start("broken", new Trip("broken", Kind.STEP_FAILS));
        engine.start("stuck", new Trip("stuck", Kind.PARKS));
        engine.start("stuck-too", new Trip("stuck-too", Kind.PARKS));
        runAll();
        engine.start("new", new Trip("new", Kind.COMPLETES));
        engine.resolve("stuck-too", "handled by phone");
        caughtUp();

        assertThat(row("done")).extracting(SagaSummary::status, SagaSummary::step, SagaSummary::stepsDone, SagaSummary::failure)
                .containsExactly(SagaStatus.COMPLETED, Optional.of("pay"), 3, Optional.empty());
        assertThat(row("no-rooms")).extracting(SagaSummary::status, SagaSummary::step, SagaSummary::failure)
                .containsExactly(SagaStatus.COMPENSATED, Optional.of("book-flight"), Optional.of("NO_ROOMS"));
        assertThat(row("broken").status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(row("broken").failure().orElseThrow()).contains("card service down");
        SagaSummary stuck = row("stuck");
        assertThat(stuck.status()).isEqualTo(SagaStatus.NEEDS_ATTENTION);
        assertThat(stuck.step()).contains("book-flight");
        assertThat(stuck.deadLetter()).isPresent().isEqualTo(engine.find("stuck").orElseThrow().deadLetter());
        assertThat(stuck.lastError().orElseThrow()).contains("airline unreachable");
        assertThat(row("stuck-too").status()).isEqualTo(SagaStatus.RESOLVED);
        assertThat(row("new")).extracting(SagaSummary::status, SagaSummary::step, SagaSummary::stepsDone, SagaSummary::version)
                .containsExactly(SagaStatus.RUNNING, Optional.empty(), 0, 1L);

        cancellationsFail.set(false);
        engine.retry("stuck", "airline back");
        caughtUp();
        SagaSummary retried = row("stuck");
        assertThat(retried.status()).isEqualTo(SagaStatus.COMPENSATING);
        assertThat(retried.deadLetter()).isEmpty();
        assertThat(retried.lastError()).isEmpty();
        runAll();
        caughtUp();
        assertThat(row("stuck").status()).isEqualTo(SagaStatus.COMPENSATED);
    }

    @Test
    void pages_walk_every_saga_newest_first_and_carry_the_total() throws Exception {
        List<String> ids = start("trip", 45);
        runAll();
        caughtUp();

        List<String> walked = new ArrayList<>();
        for (long offset = 0; ; offset += 10) {
            SagaPage page = queries.list(Optional.empty(), 10, offset);
            assertThat(page.total()).isEqualTo(45);
            assertThat(page.limit()).isEqualTo(10);
            assertThat(page.offset()).isEqualTo(offset);
            if (page.items().isEmpty()) break;
            page.items().forEach(row -> walked.add(row.sagaId()));
        }
        assertThat(walked).isEqualTo(ids.reversed());
        assertThat(queries.list(Optional.of(SagaStatus.COMPLETED), 5, 10).items()).extracting(SagaSummary::sagaId)
                .containsExactly("trip-4", "trip-0"); // the completed ones are every 4th, newest first: 44, 40, …
        assertThat(queries.list(Optional.of(SagaStatus.RESOLVED), 5, 0)).extracting(SagaPage::total).isEqualTo(0L);
    }

    @Test
    void a_rebuild_builds_the_same_rows_beside_the_live_ones() throws Exception {
        start("trip", 40);
        runAll();
        caughtUp();
        SagaPage before = queries.list(Optional.empty(), 100, 0);

        int generation = projections.rebuild(projection.name());
        await().atMost(WAIT).until(() -> projections.activeGeneration(projection.name()) == generation);
        caughtUp();

        assertThat(generation).isEqualTo(2);
        assertThat(queries.list(Optional.empty(), 100, 0)).isEqualTo(before);
    }

    @Test
    void a_page_out_of_bounds_is_refused_naming_the_bound() {
        assertThatThrownBy(() -> queries.list(Optional.empty(), 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit must be from 1 to 1000");
        assertThatThrownBy(() -> queries.list(Optional.empty(), 1001, 0)).hasMessageContaining("limit must be from 1 to 1000");
        assertThatThrownBy(() -> queries.list(Optional.empty(), 10, -1)).hasMessageContaining("offset must not be negative");
        assertThatThrownBy(() -> new SagaStatusProjection(database(store), "Trip-Saga"))
                .hasMessageContaining("'Trip-Saga'");
    }

    private SagaSummary row(String id) {
        return queries.find(id).orElseThrow(() -> new AssertionError("no row for saga " + id));
    }
}
