// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventDecodingException;
import dev.factum.store.AppendResult;
import dev.factum.store.DuplicateEventIdException;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreClosedException;
import dev.factum.store.StoreStatistics;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteEventStoreTest {
    private final SqliteStoreFixture fixture = new SqliteStoreFixture();
    private final SqliteEventStore store = fixture.eventStore();
    private final StreamId account = StreamId.of("Account", "1");

    @AfterEach
    void close() {
        fixture.close();
    }

    static List<NewEvent> events(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> NewEvent.of("Tested", "{\"n\":" + i + "}")).toList();
    }

    @Nested
    class Append {
        @Test
        void appended_events_get_consecutive_versions_and_positions() {
            AppendResult first = store.append(account, ExpectedVersion.noStream(), events(2));
            AppendResult second = store.append(StreamId.of("Account", "2"), ExpectedVersion.noStream(), events(3));

            assertThat(first).isEqualTo(new AppendResult(account, 1, 2, Position.of(1), Position.of(2)));
            assertThat(second.firstPosition()).isEqualTo(Position.of(3));
            assertThat(second.lastPosition()).isEqualTo(Position.of(5));
            assertThat(store.headPosition()).isEqualTo(Position.of(5));
        }

        @Test
        void append_with_stale_expected_version_is_rejected_and_writes_nothing() {
            store.append(account, ExpectedVersion.noStream(), events(2));

            assertThatThrownBy(() -> store.append(account, ExpectedVersion.exactly(1), events(1)))
                    .isInstanceOf(WrongExpectedVersionException.class)
                    .hasMessageContaining("version 2");
            assertThat(store.streamVersion(account)).isEqualTo(2);
            assertThat(store.headPosition()).isEqualTo(Position.of(2));
        }

        @Test
        void repeating_an_append_with_the_same_event_ids_returns_the_original_result_and_writes_nothing() {
            List<NewEvent> events = events(3);
            AppendResult original = store.append(account, ExpectedVersion.noStream(), events);

            AppendResult repeated = store.append(account, ExpectedVersion.noStream(), events);

            assertThat(repeated).isEqualTo(original);
            assertThat(store.headPosition()).isEqualTo(Position.of(3));
        }

        @Test
        void reusing_an_event_id_for_another_stream_is_refused_and_writes_nothing() {
            List<NewEvent> events = events(1);
            store.append(account, ExpectedVersion.any(), events);

            assertThatThrownBy(() -> store.append(StreamId.of("Account", "2"), ExpectedVersion.any(), events))
                    .isInstanceOf(DuplicateEventIdException.class);
            assertThat(store.headPosition()).isEqualTo(Position.of(1));
        }
    }

    @Nested
    class Read_stream {
        @Test
        void reads_forward_and_backward_from_a_version_with_a_limit() {
            store.append(account, ExpectedVersion.noStream(), events(5));

            assertThat(versions(store.readStream(account, ReadStreamOptions.forward().fromVersion(2).limit(2))))
                    .containsExactly(2L, 3L);
            assertThat(versions(store.readStream(account, ReadStreamOptions.backward().limit(2)))).containsExactly(5L, 4L);
            assertThat(versions(store.readStream(account, ReadStreamOptions.backward().fromVersion(3))))
                    .containsExactly(3L, 2L, 1L);
        }

        @Test
        void returns_payload_metadata_and_recording_time_as_appended() {
            NewEvent event = events(1).get(0);
            event = event.withMetadata(event.metadata().withUserId("ada").withHeader("tenant", "t1"));
            store.append(account, ExpectedVersion.noStream(), List.of(event));

            RecordedEvent read = store.readStream(account, ReadStreamOptions.forward()).get(0);

            assertThat(read.type()).isEqualTo("Tested");
            assertThat(read.data()).isEqualTo("{\"n\":1}");
            assertThat(read.metadata()).isEqualTo(event.metadata());
            assertThat(read.recordedAt()).isNotNull();
        }

        @Test
        void a_missing_stream_reads_empty_at_version_zero() {
            assertThat(store.readStream(account, ReadStreamOptions.forward())).isEmpty();
            assertThat(store.streamVersion(account)).isZero();
        }
    }

    @Nested
    class Read_all {
        @Test
        void reads_in_position_order_after_a_position_optionally_of_one_category() {
            store.append(account, ExpectedVersion.any(), events(2));
            store.append(StreamId.of("Transfer", "1"), ExpectedVersion.any(), events(2));
            store.append(account, ExpectedVersion.any(), events(1));

            assertThat(positions(store.readAll(ReadAllOptions.after(Position.of(1)).limit(3)))).containsExactly(2L, 3L, 4L);
            assertThat(positions(store.readAll(ReadAllOptions.fromStart().category("Account")))).containsExactly(1L, 2L, 5L);
            assertThat(store.readAll(ReadAllOptions.after(Position.of(5)))).isEmpty();
        }

        @Test
        void a_row_with_unreadable_metadata_raises_an_error_naming_its_type_and_position() {
            store.append(account, ExpectedVersion.any(), events(3));
            store.checkpointStore().commit(new dev.factum.subscription.Checkpoint("corrupter", Position.BEGINNING), tx -> {
                try (Statement statement = tx.connection().orElseThrow().createStatement()) {
                    statement.executeUpdate("UPDATE events SET metadata = '{\"headers\":7}' WHERE position = 2");
                }
            });

            assertThatThrownBy(() -> store.readAll(ReadAllOptions.fromStart()))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining("'Tested'")
                    .hasMessageContaining("position 2");
            assertThat(store.readAll(ReadAllOptions.after(Position.of(2)))).hasSize(1);
        }
    }

    @Nested
    class Statistics {
        @Test
        void counts_events_streams_and_categories() {
            store.append(account, ExpectedVersion.any(), events(2));
            store.append(StreamId.of("Account", "2"), ExpectedVersion.any(), events(1));
            store.append(StreamId.of("Transfer", "1"), ExpectedVersion.any(), events(4));

            StoreStatistics statistics = store.statistics();

            assertThat(statistics.events()).isEqualTo(7);
            assertThat(statistics.streams()).isEqualTo(3);
            assertThat(statistics.head()).isEqualTo(Position.of(7));
            assertThat(statistics.eventsByCategory()).isEqualTo(Map.of("Account", 3L, "Transfer", 4L));
            assertThat(statistics.description()).startsWith("sqlite ");
        }
    }

    @Nested
    class Close {
        @Test
        void every_operation_after_close_raises_store_closed() {
            store.close();

            assertThatThrownBy(() -> store.append(account, ExpectedVersion.any(), events(1)))
                    .isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> store.readAll(ReadAllOptions.fromStart())).isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> store.readStream(account, ReadStreamOptions.forward()))
                    .isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(store::headPosition).isInstanceOf(StoreClosedException.class);
            assertThatThrownBy(() -> store.checkpointStore().load("x")).isInstanceOf(StoreClosedException.class);
        }
    }

    @Nested
    class On_commit {
        @Test
        void commit_callbacks_run_after_each_commit_that_wrote_events() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            try (AutoCloseable registration = store.onCommit(calls::incrementAndGet)) {
                List<NewEvent> events = events(1);
                store.append(account, ExpectedVersion.any(), events);
                store.append(account, ExpectedVersion.any(), events); // idempotent repeat: nothing committed
                assertThat(calls).hasValue(1);
            }
            store.append(account, ExpectedVersion.any(), events(1));
            assertThat(calls).hasValue(1);
        }

        @Test
        void an_append_from_a_commit_callback_is_refused_instead_of_waiting_for_itself() throws Exception {
            CompletableFuture<Throwable> refusal = new CompletableFuture<>();
            try (AutoCloseable registration = store.onCommit(() -> {
                try {
                    store.append(StreamId.of("Echo", "1"), ExpectedVersion.any(), events(1));
                    refusal.complete(null);
                } catch (RuntimeException e) {
                    refusal.complete(e);
                }
            })) {
                store.append(account, ExpectedVersion.any(), events(1));

                assertThat(refusal.get()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("from an onCommit callback");
            }
            assertThat(store.headPosition()).isEqualTo(Position.of(1));
        }
    }

    private static List<Long> versions(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::version).toList();
    }

    private static List<Long> positions(List<RecordedEvent> events) {
        return events.stream().map(e -> e.position().value()).toList();
    }
}
