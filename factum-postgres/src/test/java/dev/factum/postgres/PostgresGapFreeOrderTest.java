// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresGapFreeOrderTest {
    private static final String INVARIANT = "invariant 2: a reader sees every committed event once, in position order,"
            + " never passing over a position held by an in-flight transaction";

    private PostgresStoreFixture fixture;
    private PostgresEventStore store;
    private ExecutorService executor;

    @BeforeEach
    void open() {
        fixture = new PostgresStoreFixture();
        store = (PostgresEventStore) fixture.eventStore();
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        fixture.close();
    }

    @Nested
    class A_transaction_holding_the_next_position {

        @Test
        void blocks_the_append_path_and_readers_do_not_pass_over_it_and_its_rollback_leaves_no_gap() throws Exception {
            store.append(StreamId.of("Account", "1"), ExpectedVersion.any(), List.of(event(1), event(2), event(3)));
            Future<AppendResult> waiting;
            try (Connection held = fixture.rawConnection()) {
                held.setAutoCommit(false);
                fixture.holdNextPosition(held);

                waiting = executor.submit(() -> store.append(StreamId.of("Account", "2"), ExpectedVersion.any(), List.of(event(4))));
                await().until(() -> writerIsWaitingForTheAppendLock());

                assertThat(waiting).as("the append waits for the append lock").isNotDone();
                assertThat(positions(store.readAll(ReadAllOptions.fromStart()))).as(INVARIANT).containsExactly(1L, 2L, 3L);
                held.rollback();
            }
            AppendResult result = waiting.get(30, TimeUnit.SECONDS);

            assertThat(result.firstPosition()).as("the rolled-back position is given back").isEqualTo(Position.of(4));
            assertThat(positions(store.readAll(ReadAllOptions.fromStart()))).as(INVARIANT).containsExactly(1L, 2L, 3L, 4L);
        }

        @Test
        void that_commits_is_read_in_its_place_before_the_appends_that_waited_for_it() throws Exception {
            store.append(StreamId.of("Account", "1"), ExpectedVersion.any(), List.of(event(1)));
            Future<AppendResult> waiting;
            try (Connection held = fixture.rawConnection()) {
                held.setAutoCommit(false);
                fixture.holdNextPosition(held);

                waiting = executor.submit(() -> store.append(StreamId.of("Account", "2"), ExpectedVersion.any(), List.of(event(2))));
                await().until(() -> writerIsWaitingForTheAppendLock());

                assertThat(positions(store.readAll(ReadAllOptions.fromStart()))).as(INVARIANT).containsExactly(1L);
                held.commit();
            }
            AppendResult result = waiting.get(30, TimeUnit.SECONDS);

            assertThat(result.firstPosition()).isEqualTo(Position.of(3));
            List<RecordedEvent> all = store.readAll(ReadAllOptions.fromStart());
            assertThat(positions(all)).as(INVARIANT).containsExactly(1L, 2L, 3L);
            assertThat(all.get(1).stream().category()).isEqualTo("Held");
        }
    }

    @Nested
    class Many_writers_with_interference {

        @Test
        void readers_following_the_head_see_every_position_once_and_in_order() throws Exception {
            int writers = 8;
            int appendsPerWriter = 60;
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                running.add(executor.submit(() -> {
                    for (int i = 0; i < appendsPerWriter; i++) {
                        store.append(StreamId.of("Writer", writer + "-" + (i % 5)), ExpectedVersion.any(), List.of(event(i)));
                    }
                    return null;
                }));
            }
            Future<?> interfering = executor.submit(() -> {
                for (int i = 0; i < 20; i++) fixture.holdNextPositionThenRollBack();
                return null;
            });
            List<Long> seen = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                long after = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
                store.readAll(ReadAllOptions.after(Position.of(after)).limit(37)).forEach(e -> seen.add(e.position().value()));
                return seen.size() >= writers * appendsPerWriter;
            });
            for (Future<?> f : running) f.get(60, TimeUnit.SECONDS);
            interfering.get(60, TimeUnit.SECONDS);

            assertThat(seen).as(INVARIANT).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, (long) writers * appendsPerWriter).boxed().toList());
        }
    }

    private boolean writerIsWaitingForTheAppendLock() throws SQLException {
        try (Connection c = fixture.rawConnection();
             PreparedStatement q = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                     + " AND wait_event_type = 'Lock'")) {
            q.setString(1, "factum-writer:" + fixture.schema());
            try (ResultSet rows = q.executeQuery()) {
                rows.next();
                return rows.getLong(1) == 1;
            }
        }
    }

    private static NewEvent event(int n) {
        return NewEvent.of("Deposited", "{\"amount\":" + n + "}");
    }

    private static List<Long> positions(List<RecordedEvent> events) {
        return events.stream().map(e -> e.position().value()).toList();
    }
}
