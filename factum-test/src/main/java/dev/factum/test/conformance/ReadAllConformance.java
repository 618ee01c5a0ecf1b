// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.event.RecordedEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StoreStatistics;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.factum.test.conformance.TestEvents.freshStream;
import static dev.factum.test.conformance.TestEvents.ids;
import static dev.factum.test.conformance.TestEvents.numbered;
import static dev.factum.test.conformance.TestEvents.positions;
import static dev.factum.test.conformance.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the global order: strictly increasing positions across streams, {@code after} exclusive, limits, the
 * category filter, the head position and the statistics. Subclass it once per store, overriding
 * {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ReadAllConformance extends StoreSuite {
    private static final String ORDER = "the global order: positions strictly increase and a reader never skips one";

    /**
     * Ten events over three categories, interleaved: Account (4), AccountLine (3, a category whose name extends
     * another's) and Basket (3).
     */
    private List<UUID> appendMixed() {
        StreamId a1 = freshStream("Account");
        StreamId a2 = freshStream("Account");
        StreamId line = freshStream("AccountLine");
        StreamId basket = freshStream("Basket");
        List<UUID> order = new ArrayList<>();
        append(order, a1, 2);
        append(order, line, 1);
        append(order, basket, 2);
        append(order, a2, 1);
        append(order, line, 2);
        append(order, a1, 1);
        append(order, basket, 1);
        return order;
    }

    private void append(List<UUID> order, StreamId stream, int count) {
        var events = numbered("Happened", order.size() + 1, count);
        store.append(stream, ExpectedVersion.any(), events);
        events.forEach(e -> order.add(e.eventId()));
    }

    @Nested
    class Reading_everything {

        @Test
        void an_empty_store_reads_empty_and_its_head_is_the_beginning() {
            assertThat(store.readAll(ReadAllOptions.fromStart())).isEmpty();
            assertThat(store.headPosition()).isEqualTo(Position.BEGINNING);
        }

        @Test
        void returns_every_event_in_append_order_with_strictly_increasing_positions() {
            List<UUID> order = appendMixed();

            List<RecordedEvent> all = store.readAll(ReadAllOptions.fromStart());

            assertThat(ids(all)).as(ORDER).containsExactlyElementsOf(order);
            assertThat(positions(all)).as(ORDER).isSorted().doesNotHaveDuplicates();
            assertThat(all.get(0).position()).isGreaterThan(Position.BEGINNING);
        }

        @Test
        void the_head_is_the_position_of_the_last_event() {
            appendMixed();

            List<RecordedEvent> all = store.readAll(ReadAllOptions.fromStart());

            assertThat(store.headPosition()).isEqualTo(all.get(all.size() - 1).position());
        }

        @Test
        void events_carry_their_stream_and_version() {
            StreamId stream = freshStream("Account");
            store.append(freshStream("Basket"), ExpectedVersion.any(), numbered("Happened", 1, 1));
            store.append(stream, ExpectedVersion.any(), numbered("Happened", 1, 2));

            List<RecordedEvent> all = store.readAll(ReadAllOptions.fromStart());

            assertThat(all.get(1).stream()).isEqualTo(stream);
            assertThat(all.get(1).version()).isEqualTo(1);
            assertThat(all.get(2).version()).isEqualTo(2);
        }
    }

    @Nested
    class After_a_position {

        @Test
        void is_exclusive() {
            appendMixed();
            List<RecordedEvent> all = store.readAll(ReadAllOptions.fromStart());
            Position third = all.get(2).position();

            List<RecordedEvent> rest = store.readAll(ReadAllOptions.after(third));

            assertThat(rest).as(ORDER).containsExactlyElementsOf(all.subList(3, all.size()));
        }

        @Test
        void after_the_head_is_empty() {
            appendMixed();

            assertThat(store.readAll(ReadAllOptions.after(store.headPosition()))).isEmpty();
        }

        @Test
        void after_a_position_beyond_the_head_is_empty() {
            appendMixed();

            assertThat(store.readAll(ReadAllOptions.after(Position.of(store.headPosition().value() + 100)))).isEmpty();
        }

        @Test
        void a_reader_continuing_after_its_last_position_sees_later_appends() {
            appendMixed();
            Position seen = store.headPosition();
            StreamId stream = freshStream("Account");

            store.append(stream, ExpectedVersion.any(), numbered("Happened", 1, 2));

            List<RecordedEvent> later = store.readAll(ReadAllOptions.after(seen));
            assertThat(later).as(ORDER).hasSize(2).allSatisfy(e -> assertThat(e.stream()).isEqualTo(stream));
        }
    }

    @Nested
    class Limit {

        @Test
        void returns_at_most_the_limit_from_the_start() {
            List<UUID> order = appendMixed();

            assertThat(ids(store.readAll(ReadAllOptions.fromStart().limit(3)))).containsExactlyElementsOf(order.subList(0, 3));
        }

        @Test
        void pages_of_the_limit_cover_everything_once_in_order() {
            List<UUID> order = appendMixed();
            List<RecordedEvent> paged = readAll(store, ReadAllOptions.fromStart().limit(3));

            assertThat(ids(paged)).as(ORDER).containsExactlyElementsOf(order);
        }

        @Test
        void a_limit_of_one_returns_one() {
            appendMixed();

            assertThat(store.readAll(ReadAllOptions.fromStart().limit(1))).hasSize(1);
        }
    }

    @Nested
    class Category_filter {

        @Test
        void returns_only_events_of_that_category_in_position_order() {
            appendMixed();

            List<RecordedEvent> accounts = store.readAll(ReadAllOptions.fromStart().category("Account"));

            assertThat(accounts).hasSize(4).allSatisfy(e -> assertThat(e.stream().category()).isEqualTo("Account"));
            assertThat(positions(accounts)).as(ORDER).isSorted().doesNotHaveDuplicates();
        }

        @Test
        void does_not_match_a_category_that_merely_starts_with_the_name() {
            appendMixed();

            assertThat(store.readAll(ReadAllOptions.fromStart().category("AccountLine"))).hasSize(3);
            assertThat(store.readAll(ReadAllOptions.fromStart().category("Acc"))).isEmpty();
        }

        @Test
        void is_case_sensitive() {
            appendMixed();

            assertThat(store.readAll(ReadAllOptions.fromStart().category("account"))).isEmpty();
        }

        @Test
        void counts_the_limit_in_matching_events() {
            appendMixed();

            List<RecordedEvent> baskets = store.readAll(ReadAllOptions.fromStart().category("Basket").limit(2));

            assertThat(baskets).hasSize(2).allSatisfy(e -> assertThat(e.stream().category()).isEqualTo("Basket"));
        }

        @Test
        void combines_with_after_and_pages_through_the_category() {
            appendMixed();
            List<RecordedEvent> expected = store.readAll(ReadAllOptions.fromStart().category("AccountLine"));
            List<RecordedEvent> paged = readAll(store, ReadAllOptions.fromStart().category("AccountLine").limit(1));

            assertThat(paged).as(ORDER).containsExactlyElementsOf(expected);
        }

        @Test
        void of_an_unknown_category_is_empty() {
            appendMixed();

            assertThat(store.readAll(ReadAllOptions.fromStart().category("Nobody"))).isEmpty();
        }
    }

    @Nested
    class Statistics {

        @Test
        void of_an_empty_store_are_zero() {
            StoreStatistics stats = store.statistics();

            assertThat(stats.events()).isZero();
            assertThat(stats.streams()).isZero();
            assertThat(stats.head()).isEqualTo(Position.BEGINNING);
            assertThat(stats.eventsByCategory()).isEmpty();
            assertThat(stats.description()).isNotBlank();
        }

        @Test
        void count_events_streams_and_events_per_category() {
            appendMixed();

            StoreStatistics stats = store.statistics();

            assertThat(stats.events()).isEqualTo(10);
            assertThat(stats.streams()).isEqualTo(4);
            assertThat(stats.head()).isEqualTo(store.headPosition());
            assertThat(stats.eventsByCategory()).containsExactlyInAnyOrderEntriesOf(
                    java.util.Map.of("Account", 4L, "AccountLine", 3L, "Basket", 3L));
        }

        @Test
        void agree_with_a_full_read() {
            appendMixed();

            assertThat(store.statistics().events()).isEqualTo(readAll(store).size());
        }
    }
}
