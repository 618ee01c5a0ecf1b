// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectionsTest {
    private final TestClock clock = new TestClock();
    private final GatedStore store = new GatedStore(new InMemoryEventStore(StoreLimits.DEFAULT, clock));
    private final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private int appended;

    @AfterEach
    void close() throws Exception {
        store.open();
        for (AutoCloseable c : toClose) c.close();
    }

    private Projections projections(Projection... ps) {
        return projections(checkpoints, ps);
    }

    private Projections projections(CheckpointStore cps, Projection... ps) {
        Projections.Builder b = Projections.builder(store, cps).batchSize(7).pollInterval(Duration.ofMillis(20)).clock(clock);
        for (Projection p : ps) b.add(p);
        Projections built = b.build();
        toClose.add(built);
        return built;
    }

    private void append(int n) {
        for (int i = 0; i < n; i++) {
            appended++;
            store.append(StreamId.of("Counter", "c" + (appended % 5)), ExpectedVersion.any(),
                    List.of(NewEvent.of("Counted", "{\"n\":" + appended + "}")));
        }
    }

    private Map<String, Integer> countsFromScratch() {
        Map<String, Integer> counts = new HashMap<>();
        for (RecordedEvent e : store.readAll(ReadAllOptions.fromStart().limit(10_000))) {
            counts.merge(e.stream().toString(), 1, Integer::sum);
        }
        return counts;
    }

    private List<UUID> allEventIds() {
        return store.readAll(ReadAllOptions.fromStart().limit(10_000)).stream().map(RecordedEvent::eventId).toList();
    }

    private void awaitLive(Projections projections, String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> projections.status(name).state() == ProjectionStatus.State.LIVE
                && projections.status(name).checkpoint().equals(store.headPosition()));
    }

    @Nested
    class Running {
        @Test
        void a_live_projection_builds_its_read_model_from_stored_and_new_events() {
            append(20);
            CountingProjection counting = new CountingProjection("counts");
            Projections projections = projections(counting);
            projections.start();
            append(13);

            awaitLive(projections, "counts");
            assertThat(counting.query(projections)).isEqualTo(countsFromScratch());
            assertThat(projections.activeGeneration("counts")).isEqualTo(1);
            assertThat(counting.created).containsExactly(1);
            assertThat(counting.emails).containsExactlyElementsOf(allEventIds());
        }

        @Test
        void a_failing_projection_is_failed_with_its_error_and_the_others_carry_on() {
            CountingProjection failing = new CountingProjection("failing");
            CountingProjection healthy = new CountingProjection("healthy");
            healthy.failOnPoison = false;
            Projections projections = projections(failing, healthy);
            projections.start();
            append(3);
            store.append(StreamId.of("Counter", "bad"), ExpectedVersion.any(), List.of(NewEvent.of("Poison", "{}")));
            append(4);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> projections.status("failing").state() == ProjectionStatus.State.FAILED);
            awaitLive(projections, "healthy");
            ProjectionStatus failed = projections.status("failing");
            assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("cannot count poison at 4"));
            assertThat(failed.checkpoint().value()).isLessThan(4);
            assertThat(healthy.query(projections)).isEqualTo(countsFromScratch());
            assertThat(projections.statuses()).extracting(ProjectionStatus::name).containsExactly("failing", "healthy");
        }

        @Test
        void a_query_after_a_write_can_wait_until_the_read_model_shows_it() {
            CountingProjection counting = new CountingProjection("counts");
            Projections projections = projections(counting);
            projections.start();
            counting.liveGate = new CountDownLatch(1);
            Position written = store.append(StreamId.of("Counter", "mine"), ExpectedVersion.noStream(),
                    List.of(NewEvent.of("Counted", "{}"))).lastPosition();

            assertThat(projections.awaitCheckpoint("counts", written, Duration.ofMillis(30))).as("held at the gate").isFalse();
            counting.liveGate.countDown();
            assertThat(projections.awaitCheckpoint("counts", written, Duration.ofSeconds(10))).isTrue();
            assertThat(counting.query(projections)).containsEntry("Counter-mine", 1);
        }

        @Test
        void the_active_generation_survives_a_restart() {
            CountingProjection counting = new CountingProjection("counts");
            Projections first = projections(counting);
            first.start();
            append(5);
            first.rebuild("counts");
            await().atMost(Duration.ofSeconds(10)).until(() -> first.activeGeneration("counts") == 2);
            first.stop();

            Projections second = projections(new CountingProjection("counts"));
            assertThat(second.activeGeneration("counts")).isEqualTo(2);
        }
    }

    @Nested
    class Rebuild {
        @Test
        void while_writes_continue_it_switches_to_a_read_model_equal_to_one_built_from_scratch_without_downtime()
                throws Exception {
            append(40);
            CountingProjection counting = new CountingProjection("counts");
            Projections projections = projections(counting);
            projections.start();
            awaitLive(projections, "counts");
            store.close("counts#g2");

            AtomicBoolean reading = new AtomicBoolean(true);
            List<String> violations = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                int lastTotal = 0;
                while (reading.get()) {
                    int before = projections.activeGeneration("counts");
                    Map<String, Integer> seen = counting.query(projections);
                    if (before != projections.activeGeneration("counts")) continue; // read across the switch
                    int total = seen.values().stream().mapToInt(Integer::intValue).sum();
                    if (total < lastTotal) violations.add("total went back from " + lastTotal + " to " + total);
                    lastTotal = Math.max(lastTotal, total);
                }
            });
            Thread writer = Thread.ofVirtual().start(() -> append(60));

            assertThat(projections.rebuild("counts")).isEqualTo(2);
            assertThat(projections.rebuild("counts")).as("already rebuilding").isEqualTo(2);
            assertThat(store.reached.await(10, TimeUnit.SECONDS)).isTrue();
            ProjectionStatus rebuilding = projections.status("counts");
            assertThat(rebuilding.state()).isEqualTo(ProjectionStatus.State.REBUILDING);
            assertThat(rebuilding.activeGeneration()).isEqualTo(1);
            assertThat(rebuilding.rebuild()).hasValueSatisfying(r -> {
                assertThat(r.generation()).isEqualTo(2);
                assertThat(r.position()).isEqualTo(Position.BEGINNING);
                assertThat(r.progress()).isLessThan(1.0);
            });
            writer.join();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(counting.model.view(1)).as("the old generation keeps answering").isEqualTo(countsFromScratch()));

            store.open();
            writer = Thread.ofVirtual().start(() -> append(60));
            await().atMost(Duration.ofSeconds(10)).until(() -> projections.activeGeneration("counts") == 2);
            writer.join();
            awaitLive(projections, "counts");
            reading.set(false);
            reader.join();

            assertThat(violations).isEmpty();
            assertThat(counting.created).containsExactly(1, 2);
            assertThat(counting.dropped).containsExactly(1);
            assertThat(counting.model.generations()).containsExactly(2);
            CountingProjection scratch = new CountingProjection("counts");
            Projections fresh = projections(new InMemoryCheckpointStore(), scratch);
            fresh.start();
            awaitLive(fresh, "counts");
            assertThat(counting.query(projections)).isEqualTo(scratch.query(fresh)).isEqualTo(countsFromScratch());
            assertThat(projections.status("counts").rebuild()).isEmpty();
        }

        @Test
        void side_effects_are_muted_while_rebuilding_and_run_once_per_event_around_the_switch() throws Exception {
            append(30);
            CountingProjection counting = new CountingProjection("counts");
            Projections projections = projections(counting);
            projections.start();
            awaitLive(projections, "counts");
            assertThat(counting.emails).hasSize(30);
            store.close("counts#g2");

            projections.rebuild("counts");
            assertThat(store.reached.await(10, TimeUnit.SECONDS)).isTrue();
            append(10);
            await().atMost(Duration.ofSeconds(10)).until(() -> counting.emails.size() == 40);
            store.open();
            Thread writer = Thread.ofVirtual().start(() -> append(50));
            await().atMost(Duration.ofSeconds(10)).until(() -> projections.activeGeneration("counts") == 2);
            writer.join();
            append(5);
            awaitLive(projections, "counts");

            assertThat(counting.emails).as("each event emailed once, none lost, none repeated by the replay")
                    .containsExactlyInAnyOrderElementsOf(allEventIds());
        }

        @Test
        void a_failed_projection_fixed_in_code_is_rebuilt_and_switched_to() {
            CountingProjection counting = new CountingProjection("counts");
            Projections projections = projections(counting);
            projections.start();
            append(4);
            store.append(StreamId.of("Counter", "bad"), ExpectedVersion.any(), List.of(NewEvent.of("Poison", "{}")));
            append(4);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> projections.status("counts").state() == ProjectionStatus.State.FAILED);

            counting.failOnPoison = false;
            projections.rebuild("counts");

            await().atMost(Duration.ofSeconds(10)).until(() -> projections.activeGeneration("counts") == 2);
            awaitLive(projections, "counts");
            assertThat(projections.status("counts").error()).isEmpty();
            assertThat(counting.query(projections)).isEqualTo(countsFromScratch());
        }

        @Test
        void a_failing_rebuild_is_reported_and_the_active_generation_keeps_answering() {
            append(10);
            CountingProjection counting = new CountingProjection("counts");
            Projections projections = projections(counting);
            projections.start();
            awaitLive(projections, "counts");
            counting.failWhenRebuilding = true;

            projections.rebuild("counts");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> projections.status("counts").state() == ProjectionStatus.State.FAILED);
            append(3);

            ProjectionStatus failed = projections.status("counts");
            assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("rebuild of generation 2 failed")
                    .contains("rebuild refused"));
            assertThat(failed.activeGeneration()).isEqualTo(1);
            assertThat(failed.rebuild()).hasValueSatisfying(r -> assertThat(r.generation()).isEqualTo(2));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(counting.query(projections)).isEqualTo(countsFromScratch()));
        }

        @Test
        void a_projection_of_one_category_switches_although_other_categories_move_the_head() throws Exception {
            CountingProjection counting = new CountingProjection("counts");
            counting.category = "Counter";
            Projections projections = projections(counting);
            projections.start();
            append(10);
            store.append(StreamId.of("Other", "x"), ExpectedVersion.any(), List.of(NewEvent.of("Noise", "{}")));

            projections.rebuild("counts");
            Thread writer = Thread.ofVirtual().start(() -> append(20));
            await().atMost(Duration.ofSeconds(10)).until(() -> projections.activeGeneration("counts") == 2);
            writer.join();
            store.append(StreamId.of("Other", "x"), ExpectedVersion.any(), List.of(NewEvent.of("Noise", "{}")));

            Map<String, Integer> expected = new HashMap<>(countsFromScratch());
            expected.remove("Other-x");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(counting.query(projections)).isEqualTo(expected));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> projections.status("counts").state() == ProjectionStatus.State.LIVE);
        }

        @Test
        void side_effects_run_only_when_live() throws Exception {
            RecordedEvent event = store.readAll(ReadAllOptions.fromStart()).stream().findFirst().orElseGet(() -> {
                append(1);
                return store.readAll(ReadAllOptions.fromStart()).get(0);
            });
            List<String> sent = new ArrayList<>();

            assertThat(SideEffects.live().run(event, () -> sent.add("live"))).isTrue();
            assertThat(SideEffects.muted().run(event, () -> sent.add("muted"))).isFalse();
            assertThat(sent).containsExactly("live");
        }

        @Test
        void an_interrupted_rebuild_resumes_on_the_next_start() throws Exception {
            append(20);
            CountingProjection counting = new CountingProjection("counts");
            Projections projections = projections(counting);
            projections.start();
            awaitLive(projections, "counts");
            store.close("counts#g2");
            projections.rebuild("counts");
            assertThat(store.reached.await(10, TimeUnit.SECONDS)).isTrue();
            Thread stopper = Thread.ofVirtual().start(projections::stop);
            store.open();
            stopper.join();
            assertThat(projections.status("counts").state()).isEqualTo(ProjectionStatus.State.STOPPED);

            projections.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> projections.activeGeneration("counts") == 2);
            awaitLive(projections, "counts");
            assertThat(counting.query(projections)).isEqualTo(countsFromScratch());
        }

        @Test
        void needs_started_projections_and_a_known_name() {
            Projections projections = projections(new CountingProjection("counts"));

            assertThatThrownBy(() -> projections.rebuild("counts")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> projections.rebuild("nope")).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("counts");
        }
    }

    @Nested
    class Status {
        @Test
        void reports_position_and_lag_in_events_and_time() throws Exception {
            append(3);
            CountingProjection counting = new CountingProjection("counts");
            Projections projections = projections(counting);
            ProjectionStatus stopped = projections.status("counts");
            assertThat(stopped.state()).isEqualTo(ProjectionStatus.State.STOPPED);
            assertThat(stopped.lagEvents()).isEqualTo(3);

            projections.start();
            awaitLive(projections, "counts");
            ProjectionStatus live = projections.status("counts");
            assertThat(live.checkpoint()).isEqualTo(Position.of(3));
            assertThat(live.lagEvents()).isZero();
            assertThat(live.lag()).isZero();
            assertThat(live.error()).isEmpty();

            counting.liveGate = new CountDownLatch(1);
            append(2);
            clock.advance(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> projections.status("counts").lagEvents() == 2);
            ProjectionStatus behind = projections.status("counts");
            assertThat(behind.lag()).isEqualTo(Duration.ofSeconds(5));
            counting.liveGate.countDown();
            awaitLive(projections, "counts");
        }

        @Test
        void names_come_in_registration_order_and_must_be_unique_and_free_of_hash() {
            assertThatThrownBy(() -> Projections.builder(store, checkpoints).add(new CountingProjection("a#b")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Projections.builder(store, checkpoints)
                    .add(new CountingProjection("a")).add(new CountingProjection("a")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(projections(new CountingProjection("b"), new CountingProjection("a")).names())
                    .containsExactly("b", "a");
        }
    }

    /** A clock tests move by hand; the store stamps recordedAt with it and the projections measure lag with it. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
