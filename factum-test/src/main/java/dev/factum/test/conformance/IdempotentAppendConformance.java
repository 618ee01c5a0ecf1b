// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.DuplicateEventIdException;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import static dev.factum.test.conformance.TestEvents.events;
import static dev.factum.test.conformance.TestEvents.freshStream;
import static dev.factum.test.conformance.TestEvents.ids;
import static dev.factum.test.conformance.TestEvents.newIds;
import static dev.factum.test.conformance.TestEvents.readAll;
import static dev.factum.test.conformance.TestEvents.readStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Idempotent append (invariant 3): re-appending events whose ids are stored at those versions returns the original
 * {@link AppendResult} and writes nothing, whatever the guard says now; reusing an id for a different event is a
 * {@link DuplicateEventIdException} and writes nothing. Subclass it once per store, overriding
 * {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class IdempotentAppendConformance extends StoreSuite {
    private static final String HARMLESS = "invariant 3: retrying an append with the same event ids is harmless";
    private static final String NOTHING_WRITTEN = "a refused append writes nothing";

    /** What must stay the same across a repeat or a refusal. */
    private record Snapshot(Position head, List<RecordedEvent> all) {
    }

    private Snapshot snapshot() {
        return new Snapshot(store.headPosition(), readAll(store));
    }

    @Nested
    class Re_appending_the_same_events {

        @Test
        void returns_the_original_result_and_writes_nothing() {
            StreamId stream = freshStream("Account");
            List<NewEvent> batch = events(3);
            AppendResult original = store.append(stream, ExpectedVersion.noStream(), batch);
            Snapshot before = snapshot();

            AppendResult repeated = store.append(stream, ExpectedVersion.noStream(), batch);

            assertThat(repeated).as(HARMLESS).isEqualTo(original);
            assertThat(snapshot()).as(HARMLESS).isEqualTo(before);
            assertThat(store.streamVersion(stream)).as(HARMLESS).isEqualTo(3);
        }

        @Test
        void returns_the_original_result_even_when_the_expected_version_is_now_stale() {
            StreamId stream = freshStream("Account");
            List<NewEvent> batch = events(2);
            AppendResult original = store.append(stream, ExpectedVersion.noStream(), batch);
            store.append(stream, ExpectedVersion.exactly(2), events(2));
            Snapshot before = snapshot();

            AppendResult repeatedNoStream = store.append(stream, ExpectedVersion.noStream(), batch);
            AppendResult repeatedExactly = store.append(stream, ExpectedVersion.exactly(1), batch);
            AppendResult repeatedAny = store.append(stream, ExpectedVersion.any(), batch);

            assertThat(List.of(repeatedNoStream, repeatedExactly, repeatedAny)).as(HARMLESS).containsOnly(original);
            assertThat(snapshot()).as(HARMLESS).isEqualTo(before);
            assertThat(store.streamVersion(stream)).isEqualTo(4);
        }

        @Test
        void works_for_an_append_in_the_middle_of_the_stream() {
            StreamId stream = freshStream("Account");
            store.append(stream, ExpectedVersion.noStream(), events(2));
            List<NewEvent> middle = events(2);
            AppendResult original = store.append(stream, ExpectedVersion.exactly(2), middle);
            store.append(stream, ExpectedVersion.exactly(4), events(1));
            Snapshot before = snapshot();

            AppendResult repeated = store.append(stream, ExpectedVersion.exactly(2), middle);

            assertThat(repeated).as(HARMLESS).isEqualTo(original);
            assertThat(repeated.firstVersion()).isEqualTo(3);
            assertThat(snapshot()).as(HARMLESS).isEqualTo(before);
        }

        @Test
        void returns_the_original_result_when_other_streams_were_written_since() {
            StreamId stream = freshStream("Account");
            List<NewEvent> batch = events(2);
            AppendResult original = store.append(stream, ExpectedVersion.any(), batch);
            store.append(freshStream("Other"), ExpectedVersion.any(), events(3));

            assertThat(store.append(stream, ExpectedVersion.any(), batch)).as(HARMLESS).isEqualTo(original);
            assertThat(store.streamVersion(stream)).isEqualTo(2);
        }

        @Test
        void from_many_threads_at_once_writes_exactly_once() throws InterruptedException {
            StreamId stream = freshStream("Account");
            List<NewEvent> batch = events(3);
            int threads = 16;
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                ExpectedVersion expected = i % 2 == 0 ? ExpectedVersion.noStream() : ExpectedVersion.any();
                workers.add(Thread.ofPlatform().name("conformance-idempotent-" + i).start(() -> {
                    try {
                        start.await();
                        outcomes.add(store.append(stream, expected, batch));
                    } catch (Throwable t) {
                        outcomes.add(t);
                    }
                }));
            }

            start.countDown();
            for (Thread worker : workers) assertThat(worker.join(java.time.Duration.ofMinutes(1))).isTrue();

            assertThat(outcomes).as(HARMLESS + ": every caller gets the one result").hasSize(threads)
                    .allSatisfy(o -> assertThat(o).isInstanceOf(AppendResult.class));
            assertThat(outcomes.stream().distinct()).as(HARMLESS).hasSize(1);
            assertThat(ids(readStream(store, stream))).as(HARMLESS + ": written exactly once")
                    .containsExactlyElementsOf(newIds(batch));
            assertThat(readAll(store)).as(HARMLESS).hasSize(3);
        }
    }

    @Nested
    class Reusing_an_id_for_a_different_event {

        @Test
        void with_another_payload_is_refused_and_writes_nothing() {
            StreamId stream = freshStream("Account");
            NewEvent original = NewEvent.of("Deposited", "{\"amount\":10}");
            store.append(stream, ExpectedVersion.any(), List.of(original));
            Snapshot before = snapshot();
            NewEvent changed = new NewEvent("Deposited", "{\"amount\":11}", original.metadata());

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(changed)))
                    .isInstanceOfSatisfying(DuplicateEventIdException.class,
                            e -> assertThat(e.eventId()).isEqualTo(original.eventId()))
                    .hasMessageContaining(original.eventId().toString());
            assertThat(snapshot()).as(NOTHING_WRITTEN).isEqualTo(before);
        }

        @Test
        void with_another_type_is_refused_and_writes_nothing() {
            StreamId stream = freshStream("Account");
            NewEvent original = NewEvent.of("Deposited", "{\"amount\":10}");
            store.append(stream, ExpectedVersion.any(), List.of(original));
            Snapshot before = snapshot();
            NewEvent changed = new NewEvent("Withdrawn", "{\"amount\":10}", original.metadata());

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(changed)))
                    .isInstanceOf(DuplicateEventIdException.class);
            assertThat(snapshot()).as(NOTHING_WRITTEN).isEqualTo(before);
        }

        @Test
        void in_another_stream_is_refused_and_writes_nothing() {
            StreamId stream = freshStream("Account");
            NewEvent original = NewEvent.of("Deposited", "{\"amount\":10}");
            store.append(stream, ExpectedVersion.any(), List.of(original));
            Snapshot before = snapshot();
            StreamId other = freshStream("Account");

            assertThatThrownBy(() -> store.append(other, ExpectedVersion.any(), List.of(original)))
                    .isInstanceOfSatisfying(DuplicateEventIdException.class,
                            e -> assertThat(e.eventId()).isEqualTo(original.eventId()));
            assertThat(snapshot()).as(NOTHING_WRITTEN).isEqualTo(before);
            assertThat(store.streamVersion(other)).as(NOTHING_WRITTEN).isZero();
        }

        @Test
        void at_other_versions_is_refused_and_writes_nothing() {
            StreamId stream = freshStream("Account");
            List<NewEvent> batch = events(2);
            store.append(stream, ExpectedVersion.any(), batch);
            Snapshot before = snapshot();

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(batch.get(1), batch.get(0))))
                    .isInstanceOf(DuplicateEventIdException.class);
            assertThat(snapshot()).as(NOTHING_WRITTEN).isEqualTo(before);
        }
    }

    @Nested
    class Partial_overlap {

        @Test
        void stored_events_followed_by_new_ones_are_refused_and_write_nothing() {
            StreamId stream = freshStream("Account");
            List<NewEvent> batch = events(2);
            store.append(stream, ExpectedVersion.any(), batch);
            Snapshot before = snapshot();
            List<NewEvent> overlapping = List.of(batch.get(0), batch.get(1), NewEvent.of("Happened", "{}"));

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), overlapping))
                    .isInstanceOf(DuplicateEventIdException.class);
            assertThat(snapshot()).as(NOTHING_WRITTEN).isEqualTo(before);
        }

        @Test
        void new_events_followed_by_stored_ones_are_refused_and_write_nothing() {
            StreamId stream = freshStream("Account");
            List<NewEvent> batch = events(2);
            store.append(stream, ExpectedVersion.any(), batch);
            Snapshot before = snapshot();
            List<NewEvent> overlapping = List.of(NewEvent.of("Happened", "{}"), batch.get(0));

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), overlapping))
                    .isInstanceOf(DuplicateEventIdException.class);
            assertThat(snapshot()).as(NOTHING_WRITTEN).isEqualTo(before);
        }

        @Test
        void a_retry_after_a_partial_overlap_refusal_still_returns_the_original_result() {
            StreamId stream = freshStream("Account");
            List<NewEvent> batch = events(2);
            AppendResult original = store.append(stream, ExpectedVersion.any(), batch);
            List<NewEvent> overlapping = List.of(batch.get(0), NewEvent.of("Happened", "{}"));
            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), overlapping))
                    .isInstanceOf(DuplicateEventIdException.class);

            assertThat(store.append(stream, ExpectedVersion.any(), batch)).as(HARMLESS).isEqualTo(original);
            assertThat(store.streamVersion(stream)).isEqualTo(2);
        }
    }

    @Test
    void the_store_keeps_appending_after_a_refused_duplicate() {
        StreamId stream = freshStream("Account");
        NewEvent original = NewEvent.of("Deposited", "{\"amount\":1}");
        store.append(stream, ExpectedVersion.any(), List.of(original));
        assertThatThrownBy(() -> store.append(freshStream("Account"), ExpectedVersion.any(), List.of(original)))
                .isInstanceOf(DuplicateEventIdException.class);

        AppendResult next = store.append(stream, ExpectedVersion.exactly(1), events(1));

        assertThat(next.firstVersion()).isEqualTo(2);
        assertThat(store.streamVersion(stream)).isEqualTo(2);
    }
}
