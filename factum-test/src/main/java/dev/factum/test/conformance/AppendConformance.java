// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.event.InvalidEventException;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StoreClosedException;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.factum.test.conformance.TestEvents.events;
import static dev.factum.test.conformance.TestEvents.freshStream;
import static dev.factum.test.conformance.TestEvents.ids;
import static dev.factum.test.conformance.TestEvents.json;
import static dev.factum.test.conformance.TestEvents.newIds;
import static dev.factum.test.conformance.TestEvents.positions;
import static dev.factum.test.conformance.TestEvents.readAll;
import static dev.factum.test.conformance.TestEvents.readStream;
import static dev.factum.test.conformance.TestEvents.versions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Appending: versions and positions, the result, atomicity (invariant 1: all events or none), the recorded time and
 * exact round trips of metadata and payload, and a closed store. Subclass it once per store, overriding
 * {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class AppendConformance extends StoreSuite {
    private static final String ATOMIC = "invariant 1: an append is atomic, all its events or none";

    @Nested
    class Appending_events {

        @Test
        void a_new_stream_gets_versions_1_to_n_and_strictly_increasing_positions() {
            StreamId stream = freshStream("Account");
            List<NewEvent> appended = events(3);

            store.append(stream, ExpectedVersion.noStream(), appended);

            List<RecordedEvent> read = readStream(store, stream);
            assertThat(versions(read)).containsExactly(1L, 2L, 3L);
            assertThat(positions(read)).isSorted().doesNotHaveDuplicates();
            assertThat(ids(read)).containsExactlyElementsOf(newIds(appended));
            assertThat(read).allSatisfy(e -> assertThat(e.stream()).isEqualTo(stream));
        }

        @Test
        void a_second_append_continues_the_versions_and_gets_later_positions() {
            StreamId stream = freshStream("Account");
            AppendResult first = store.append(stream, ExpectedVersion.noStream(), events(2));

            AppendResult second = store.append(stream, ExpectedVersion.exactly(2), events(3));

            assertThat(second.firstVersion()).isEqualTo(3);
            assertThat(second.lastVersion()).isEqualTo(5);
            assertThat(second.firstPosition()).isGreaterThan(first.lastPosition());
            assertThat(versions(readStream(store, stream))).containsExactly(1L, 2L, 3L, 4L, 5L);
        }

        @Test
        void the_result_names_the_stream_and_the_versions_and_positions_read_back() {
            StreamId stream = freshStream("Account");
            store.append(freshStream("Other"), ExpectedVersion.any(), events(2));

            AppendResult result = store.append(stream, ExpectedVersion.noStream(), events(3));

            List<RecordedEvent> read = readStream(store, stream);
            assertThat(result.stream()).isEqualTo(stream);
            assertThat(result.firstVersion()).isEqualTo(1);
            assertThat(result.lastVersion()).isEqualTo(3);
            assertThat(result.firstPosition()).isEqualTo(read.get(0).position());
            assertThat(result.lastPosition()).isEqualTo(read.get(2).position());
            assertThat(result.nextExpectedVersion()).isEqualTo(ExpectedVersion.exactly(3));
            assertThat(store.headPosition()).isEqualTo(result.lastPosition());
        }

        @Test
        void appends_to_different_streams_share_one_global_order() {
            StreamId a = freshStream("Account");
            StreamId b = freshStream("Basket");

            AppendResult first = store.append(a, ExpectedVersion.any(), events(2));
            AppendResult second = store.append(b, ExpectedVersion.any(), events(2));
            AppendResult third = store.append(a, ExpectedVersion.any(), events(1));

            assertThat(List.of(first.firstPosition(), first.lastPosition(), second.firstPosition(),
                    second.lastPosition(), third.firstPosition())).isSorted().doesNotHaveDuplicates();
            assertThat(positions(readAll(store))).isSorted().doesNotHaveDuplicates().hasSize(5);
        }
    }

    @Nested
    class Atomicity {

        @Test
        void an_append_whose_third_event_is_invalid_writes_none_of_them() {
            StreamId stream = freshStream("Account");
            List<NewEvent> batch = new ArrayList<>(events(2));
            batch.add(NewEvent.of("Happened", "{\"n\": 3"));
            batch.add(NewEvent.of("Happened", "{\"n\": 4}"));

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), batch))
                    .isInstanceOf(InvalidEventException.class);

            assertThat(readStream(store, stream)).as(ATOMIC).isEmpty();
            assertThat(store.streamVersion(stream)).as(ATOMIC).isZero();
            assertThat(store.headPosition()).as(ATOMIC).isEqualTo(Position.BEGINNING);
        }

        @Test
        void an_invalid_append_to_an_existing_stream_leaves_it_as_it_was() {
            StreamId stream = freshStream("Account");
            store.append(stream, ExpectedVersion.noStream(), events(2));
            List<RecordedEvent> before = readStream(store, stream);
            Position head = store.headPosition();
            List<NewEvent> batch = List.of(NewEvent.of("Happened", "{}"), NewEvent.of("Happened", "{}"),
                    NewEvent.of("not a type", "{}"));

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(2), batch))
                    .isInstanceOf(InvalidEventException.class);

            assertThat(readStream(store, stream)).as(ATOMIC).isEqualTo(before);
            assertThat(store.headPosition()).as(ATOMIC).isEqualTo(head);
        }

        @Test
        void after_a_refused_append_the_stream_is_unchanged() {
            StreamId stream = freshStream("Account");
            store.append(stream, ExpectedVersion.noStream(), events(3));
            List<RecordedEvent> before = readStream(store, stream);
            Position head = store.headPosition();

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(2), events(4)))
                    .isInstanceOf(WrongExpectedVersionException.class);

            assertThat(readStream(store, stream)).as(ATOMIC).isEqualTo(before);
            assertThat(store.streamVersion(stream)).as(ATOMIC).isEqualTo(3);
            assertThat(store.headPosition()).as(ATOMIC).isEqualTo(head);
        }

        @Test
        void an_empty_event_list_is_rejected() {
            StreamId stream = freshStream("Account");

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no events");

            assertThat(store.headPosition()).isEqualTo(Position.BEGINNING);
        }

        @Test
        void an_append_that_repeats_an_event_id_is_rejected_and_writes_nothing() {
            StreamId stream = freshStream("Account");
            NewEvent event = NewEvent.of("Happened", "{\"n\":1}");
            NewEvent sameId = NewEvent.of("Happened", "{\"n\":2}").withMetadata(event.metadata());

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(event, sameId)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("repeats event id " + event.eventId());

            assertThat(store.streamVersion(stream)).as(ATOMIC).isZero();
            assertThat(store.headPosition()).as(ATOMIC).isEqualTo(Position.BEGINNING);
        }
    }

    @Nested
    class Recorded_time {

        @Test
        void every_event_has_a_recorded_time_near_now() {
            Instant before = Instant.now();
            store.append(freshStream("Account"), ExpectedVersion.any(), events(2));
            Instant after = Instant.now();

            // a sanity window, not a timing assertion: the store's clock may differ a little from this JVM's
            assertThat(readAll(store)).allSatisfy(e -> assertThat(e.recordedAt())
                    .isBetween(before.minus(Duration.ofMinutes(10)), after.plus(Duration.ofMinutes(10))));
        }

        @Test
        void the_recorded_time_is_kept_at_the_declared_precision() {
            var precision = fixture.capabilities().timestampPrecision();
            store.append(freshStream("Account"), ExpectedVersion.any(), events(5));

            assertThat(readAll(store)).allSatisfy(e -> assertThat(e.recordedAt().truncatedTo(precision))
                    .as("recordedAt %s is at most as fine as the declared %s", e.recordedAt(), precision)
                    .isEqualTo(e.recordedAt()));
        }

        @Test
        void reads_return_the_same_recorded_time_each_time() {
            StreamId stream = freshStream("Account");
            store.append(stream, ExpectedVersion.any(), events(2));

            assertThat(readStream(store, stream)).isEqualTo(readStream(store, stream));
            assertThat(readAll(store)).isEqualTo(readStream(store, stream));
        }
    }

    @Nested
    class Round_trips {

        @Test
        void metadata_round_trips_exactly() {
            UUID id = UUID.randomUUID();
            Metadata metadata = Metadata.withId(id)
                    .withCorrelationId("correlation-" + UUID.randomUUID())
                    .withCausationId("causation-" + UUID.randomUUID())
                    .withUserId("user ü 42")
                    .withTraceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                    .withSchemaVersion(3)
                    .withHeaders(Map.of("tenant", "acme", "note", "quotes \" and \\ and ✓", "empty", ""));
            StreamId stream = freshStream("Account");

            store.append(stream, ExpectedVersion.any(), List.of(new NewEvent("Happened", "{}", metadata)));

            RecordedEvent read = readStream(store, stream).get(0);
            assertThat(read.metadata()).isEqualTo(metadata);
            assertThat(read.eventId()).isEqualTo(id);
        }

        @Test
        void root_metadata_without_optional_fields_round_trips_exactly() {
            NewEvent event = NewEvent.of("Happened", "{}");
            StreamId stream = freshStream("Account");

            store.append(stream, ExpectedVersion.any(), List.of(event));

            RecordedEvent read = readStream(store, stream).get(0);
            assertThat(read.metadata()).isEqualTo(event.metadata());
            assertThat(read.metadata().userId()).isEmpty();
            assertThat(read.metadata().traceParent()).isEmpty();
            assertThat(read.metadata().headers()).isEmpty();
        }

        @Test
        void the_payload_round_trips_as_the_same_json() {
            String payload = """
                    {"text": "grüße ✓ \\u00e9 \\"quoted\\" \\\\ slash",
                     "count": 42, "big": 9007199254740993, "negative": -7, "ratio": 0.25,
                     "flag": true, "nothing": null, "empty": {}, "list": [1, "two", {"three": [3]}, []],
                     "nested": {"b": {"c": {"d": "deep"}}, "a": 1}}
                    """;
            StreamId stream = freshStream("Account");

            store.append(stream, ExpectedVersion.any(), List.of(NewEvent.of("Happened", payload)));

            RecordedEvent read = readStream(store, stream).get(0);
            assertThat(json(read.data())).isEqualTo(json(payload));
            assertThat(read.type()).isEqualTo("Happened");
        }

        @Test
        void type_names_with_every_allowed_character_round_trip() {
            StreamId stream = freshStream("Account");
            String type = "billing.v2:Invoice_Issued$Event-1";

            store.append(stream, ExpectedVersion.any(), List.of(NewEvent.of(type, "{}")));

            assertThat(readStream(store, stream).get(0).type()).isEqualTo(type);
        }

        @Test
        void stream_ids_with_dashes_in_the_id_round_trip() {
            StreamId stream = StreamId.parse("Cart-" + UUID.randomUUID());

            store.append(stream, ExpectedVersion.any(), events(1));

            assertThat(readAll(store).get(0).stream()).isEqualTo(stream);
            assertThat(store.readAll(ReadAllOptions.fromStart().category("Cart"))).hasSize(1);
        }
    }

    @Nested
    class A_closed_store {

        @Test
        void refuses_appends_with_store_closed_and_writes_nothing() {
            StreamId stream = freshStream("Account");
            store.append(stream, ExpectedVersion.noStream(), events(1));
            Position head = store.headPosition();
            List<NewEvent> late = events(2);

            store.close();

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(1), late))
                    .isInstanceOf(StoreClosedException.class)
                    .hasMessageContaining("closed");
            if (fixture.capabilities().multipleInstances()) {
                EventStore reopened = fixture.openEventStore(StoreLimits.DEFAULT);
                assertThat(reopened.headPosition()).as(ATOMIC).isEqualTo(head);
                assertThat(reopened.streamVersion(stream)).as(ATOMIC).isEqualTo(1);
            }
        }

        @Test
        void refuses_reads_with_store_closed() {
            StreamId stream = freshStream("Account");
            store.append(stream, ExpectedVersion.noStream(), events(1));

            store.close();

            assertThatThrownBy(() -> readStream(store, stream)).isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> store.readAll(ReadAllOptions.fromStart())).isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> store.streamVersion(stream)).isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> store.headPosition()).isInstanceOf(StoreClosedException.class);
        }

        @Test
        void closing_twice_is_harmless() {
            store.close();
            store.close();

            assertThatThrownBy(() -> store.headPosition()).isInstanceOf(StoreClosedException.class);
        }
    }
}
