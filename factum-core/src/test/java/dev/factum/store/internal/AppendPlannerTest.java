// SPDX-License-Identifier: Apache-2.0
package dev.factum.store.internal;

import dev.factum.event.NewEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.DuplicateEventIdException;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AppendPlannerTest {
    private static final StreamId ORDER = StreamId.of("Order", "1");
    private static final StreamId OTHER = StreamId.of("Order", "2");

    /** Stored: ORDER holds a1, a2 at versions 1, 2 and positions 10, 11; the last position is 11. */
    private final NewEvent a1 = NewEvent.of("Placed", "{\"n\":1}");
    private final NewEvent a2 = NewEvent.of("Paid", "{\"n\":2}");
    private final Map<UUID, StoredEvent> stored = new HashMap<>(Map.of(
            a1.eventId(), new StoredEvent(ORDER, 1, Position.of(10), a1),
            a2.eventId(), new StoredEvent(ORDER, 2, Position.of(11), a2)));

    private AppendPlanner planner() {
        return new AppendPlanner(Map.of(ORDER, 2L), stored, Position.of(11));
    }

    private static AppendRequest request(StreamId stream, ExpectedVersion expected, NewEvent... events) {
        return new AppendRequest(stream, expected, List.of(events));
    }

    private static NewEvent fresh() {
        return NewEvent.of("Shipped", "{}");
    }

    private AppendPlanner.Outcome planOne(AppendRequest request) {
        return planner().plan(List.of(request)).get(0);
    }

    @Nested
    class New_events {

        @Test
        void get_the_next_versions_and_positions() {
            AppendPlanner planner = planner();

            AppendPlanner.Outcome outcome = planner.plan(List.of(request(ORDER, ExpectedVersion.exactly(2), fresh(), fresh()))).get(0);

            assertThat(outcome).isInstanceOfSatisfying(AppendPlanner.Write.class, write -> {
                assertThat(write.events()).extracting(StoredEvent::version).containsExactly(3L, 4L);
                assertThat(write.events()).extracting(e -> e.position().value()).containsExactly(12L, 13L);
                assertThat(write.result()).isEqualTo(new AppendResult(ORDER, 3, 4, Position.of(12), Position.of(13)));
            });
            assertThat(planner.lastPosition()).isEqualTo(Position.of(13));
        }

        @Test
        void are_refused_when_the_expected_version_does_not_hold() {
            assertThat(planOne(request(ORDER, ExpectedVersion.exactly(1), fresh())))
                    .isInstanceOfSatisfying(AppendPlanner.Refused.class, r -> assertThat(r.error())
                            .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                                assertThat(e.actual()).isEqualTo(2);
                                assertThat(e.expected()).isEqualTo(ExpectedVersion.exactly(1));
                            }));
        }

        @Test
        void in_one_batch_see_the_writes_of_the_appends_before_them() {
            AppendPlanner planner = planner();

            List<AppendPlanner.Outcome> outcomes = planner.plan(List.of(
                    request(ORDER, ExpectedVersion.exactly(2), fresh()),
                    request(ORDER, ExpectedVersion.exactly(2), fresh()),
                    request(OTHER, ExpectedVersion.noStream(), fresh()),
                    request(ORDER, ExpectedVersion.exactly(3), fresh())));

            assertThat(outcomes.get(0)).isInstanceOf(AppendPlanner.Write.class);
            assertThat(outcomes.get(1)).as("second writer of version 3 loses").isInstanceOf(AppendPlanner.Refused.class);
            assertThat(outcomes.get(2).resultOrThrow()).isEqualTo(new AppendResult(OTHER, 1, 1, Position.of(13), Position.of(13)));
            assertThat(outcomes.get(3).resultOrThrow()).isEqualTo(new AppendResult(ORDER, 4, 4, Position.of(14), Position.of(14)));
            assertThat(planner.lastPosition()).as("a refused append takes no position").isEqualTo(Position.of(14));
        }
    }

    @Nested
    class Stored_events_again {

        @Test
        void return_the_original_result_whatever_the_expected_version() {
            AppendResult original = new AppendResult(ORDER, 1, 2, Position.of(10), Position.of(11));

            for (ExpectedVersion expected : List.of(ExpectedVersion.noStream(), ExpectedVersion.exactly(9), ExpectedVersion.any())) {
                assertThat(planOne(request(ORDER, expected, a1, a2)))
                        .isEqualTo(new AppendPlanner.AlreadyAppended(original));
            }
        }

        @Test
        void with_reformatted_but_equal_json_are_the_same_events() {
            NewEvent spaced = new NewEvent("Placed", "{ \"n\" : 1 }", a1.metadata());

            assertThat(planOne(request(ORDER, ExpectedVersion.any(), spaced))).isInstanceOf(AppendPlanner.AlreadyAppended.class);
        }

        @Test
        void repeated_in_the_same_batch_are_written_once() {
            NewEvent e = fresh();
            AppendPlanner planner = planner();

            List<AppendPlanner.Outcome> outcomes = planner.plan(List.of(
                    request(OTHER, ExpectedVersion.noStream(), e), request(OTHER, ExpectedVersion.noStream(), e)));

            assertThat(outcomes.get(0)).isInstanceOf(AppendPlanner.Write.class);
            assertThat(outcomes.get(1)).isEqualTo(new AppendPlanner.AlreadyAppended(outcomes.get(0).resultOrThrow()));
            assertThat(planner.lastPosition()).isEqualTo(Position.of(12));
        }
    }

    @Nested
    class A_reused_id {

        private void assertDuplicate(AppendRequest request, UUID id, String reason) {
            assertThat(planOne(request)).isInstanceOfSatisfying(AppendPlanner.Refused.class, r -> assertThat(r.error())
                    .isInstanceOfSatisfying(DuplicateEventIdException.class, e -> assertThat(e.eventId()).isEqualTo(id))
                    .hasMessageContaining(reason));
        }

        @Test
        void with_another_payload_is_refused() {
            assertDuplicate(request(ORDER, ExpectedVersion.any(), new NewEvent("Placed", "{\"n\":9}", a1.metadata())),
                    a1.eventId(), "different event");
        }

        @Test
        void with_another_type_is_refused() {
            assertDuplicate(request(ORDER, ExpectedVersion.any(), new NewEvent("Cancelled", "{\"n\":1}", a1.metadata())),
                    a1.eventId(), "different event (type Placed)");
        }

        @Test
        void in_another_stream_is_refused() {
            assertDuplicate(request(OTHER, ExpectedVersion.any(), a1), a1.eventId(), "stored in stream Order-1, not Order-2");
        }

        @Test
        void out_of_order_is_refused() {
            assertDuplicate(request(ORDER, ExpectedVersion.any(), a2, a1), a1.eventId(), "stored at version 1");
        }

        @Test
        void mixed_with_new_events_is_refused_either_way_round() {
            NewEvent e = fresh();
            assertDuplicate(request(ORDER, ExpectedVersion.any(), a1, e), a1.eventId(), "mixes events already stored with new ones");
            assertDuplicate(request(ORDER, ExpectedVersion.any(), e, a1), a1.eventId(), "mixes events already stored with new ones");
        }

        @Test
        void refused_leaves_the_positions_untouched() {
            AppendPlanner planner = planner();

            planner.plan(List.of(request(OTHER, ExpectedVersion.any(), a1)));

            assertThat(planner.lastPosition()).isEqualTo(Position.of(11));
        }
    }
}
