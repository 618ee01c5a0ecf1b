// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.EventBatch;
import dev.factum.subscription.Projection;
import dev.factum.subscription.ProjectionContext;
import dev.factum.subscription.ProjectionStatus;
import dev.factum.subscription.Projections;
import dev.factum.subscription.StoreTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A projection whose read model is a real table, written through the checkpoint's transaction. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteProjectionTest {
    private final SqliteStoreFixture fixture = new SqliteStoreFixture();
    private final SqliteEventStore store = fixture.eventStore();
    private final CheckpointStore checkpoints = store.checkpointStore();
    private final Projections projections = Projections.builder(store, checkpoints)
            .add(new CountsTable()).pollInterval(Duration.ofMillis(50)).build();

    @AfterEach
    void close() {
        projections.close();
        fixture.close();
    }

    /** Counts events per stream in {@code counts_g<generation>}; fails (after writing) on a {@code Poison} event. */
    static final class CountsTable implements Projection {
        @Override
        public String name() {
            return "counts";
        }

        @Override
        public void apply(EventBatch batch, ProjectionContext context) throws Exception {
            Connection c = batch.transaction().connection().orElseThrow();
            String table = "counts_g" + context.generation();
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + table + " AS t (stream, n) VALUES (?, 1) "
                    + "ON CONFLICT (stream) DO UPDATE SET n = t.n + 1")) {
                for (RecordedEvent e : batch.events()) {
                    upsert.setString(1, e.stream().toString());
                    upsert.executeUpdate();
                    if (e.type().equals("Poison")) throw new IllegalStateException("poison at " + e.position());
                }
            }
        }

        @Override
        public void createGeneration(int generation, StoreTransaction tx) throws SQLException {
            execute(tx, "CREATE TABLE IF NOT EXISTS counts_g" + generation + " (stream TEXT PRIMARY KEY, n INTEGER NOT NULL)");
        }

        @Override
        public void dropGeneration(int generation, StoreTransaction tx) throws SQLException {
            execute(tx, "DROP TABLE IF EXISTS counts_g" + generation);
        }

        private static void execute(StoreTransaction tx, String sql) throws SQLException {
            try (Statement s = tx.connection().orElseThrow().createStatement()) {
                s.execute(sql);
            }
        }
    }

    private void append(String stream, String type) {
        store.append(StreamId.of("Counter", stream), ExpectedVersion.any(), List.of(NewEvent.of(type, "{}")));
    }

    /** Runs a read on the store's writer connection (SQLite has one), through a throwaway checkpoint. */
    private <T> T read(String sql, ResultReader<T> reader) {
        List<T> result = new ArrayList<>();
        checkpoints.commit(new Checkpoint("inspect", Position.BEGINNING), tx -> {
            try (Statement s = tx.connection().orElseThrow().createStatement(); ResultSet r = s.executeQuery(sql)) {
                result.add(reader.read(r));
            }
        });
        return result.get(0);
    }

    @FunctionalInterface
    interface ResultReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private Map<String, Integer> counts(int generation) {
        return read("SELECT stream, n FROM counts_g" + generation, r -> {
            Map<String, Integer> rows = new TreeMap<>();
            while (r.next()) rows.put(r.getString(1), r.getInt(2));
            return rows;
        });
    }

    private List<String> countTables() {
        return read("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'counts_g%' ORDER BY name", r -> {
            List<String> names = new ArrayList<>();
            while (r.next()) names.add(r.getString(1));
            return names;
        });
    }

    private void awaitLiveAtHead() {
        await().atMost(Duration.ofSeconds(10)).until(() -> projections.status("counts").state() == ProjectionStatus.State.LIVE
                && projections.status("counts").checkpoint().equals(store.headPosition()));
    }

    @Test
    void the_projection_writes_its_table_and_checkpoint_in_one_transaction() {
        append("a", "Counted");
        append("b", "Counted");
        projections.start();
        append("a", "Counted");

        awaitLiveAtHead();
        assertThat(counts(1)).isEqualTo(Map.of("Counter-a", 2, "Counter-b", 1));
        assertThat(checkpoints.load("counts#g1")).contains(Position.of(3));
    }

    @Test
    void a_failing_apply_leaves_neither_its_row_nor_the_checkpoint() {
        projections.start();
        append("a", "Counted");
        append("a", "Counted");
        awaitLiveAtHead();

        append("bad", "Poison");

        await().atMost(Duration.ofSeconds(10)).until(() -> projections.status("counts").state() == ProjectionStatus.State.FAILED);
        assertThat(projections.status("counts").error()).hasValueSatisfying(e -> assertThat(e).contains("poison at 3"));
        assertThat(counts(1)).isEqualTo(Map.of("Counter-a", 2));
        assertThat(checkpoints.load("counts#g1")).contains(Position.of(2));
    }

    @Test
    void with_dead_letters_on_a_poison_event_is_parked_in_the_store_and_the_table_keeps_the_others() {
        Projections tolerant = Projections.builder(store, checkpoints).add(new CountsTable())
                .pollInterval(Duration.ofMillis(50))
                .deadLetters(store.deadLetterStore(), dev.factum.retry.RetryPolicy.noRetry()).build();
        try (tolerant) {
            append("a", "Counted");
            append("bad", "Poison");
            append("a", "Counted");
            tolerant.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> tolerant.status("counts").checkpoint().equals(Position.of(3)));
            assertThat(tolerant.status("counts").state()).isEqualTo(ProjectionStatus.State.LIVE);
            assertThat(counts(1)).as("the poison event's row was rolled back").isEqualTo(Map.of("Counter-a", 2));
            var parked = store.deadLetterStore().list(dev.factum.retry.DeadLetterQuery.all());
            assertThat(parked).hasSize(1);
            assertThat(parked.getFirst().consumer()).isEqualTo("counts#g1");
            assertThat(parked.getFirst().reason()).isEqualTo("IllegalStateException: poison at 2");
            assertThat(parked.getFirst().headers()).containsEntry("factum-stream", "Counter-bad");
        }
    }

    @Test
    void a_rebuild_fills_a_new_table_switches_to_it_and_drops_the_old_one() {
        for (int i = 0; i < 30; i++) append("s" + (i % 3), "Counted");
        projections.start();
        awaitLiveAtHead();

        assertThat(projections.rebuild("counts")).isEqualTo(2);
        for (int i = 0; i < 30; i++) append("s" + (i % 3), "Counted");

        await().atMost(Duration.ofSeconds(10)).until(() -> projections.activeGeneration("counts") == 2);
        awaitLiveAtHead();
        assertThat(counts(2)).isEqualTo(Map.of("Counter-s0", 20, "Counter-s1", 20, "Counter-s2", 20));
        await().atMost(Duration.ofSeconds(10)).until(() -> countTables().equals(List.of("counts_g2")));
        assertThat(checkpoints.load("counts#active")).contains(Position.of(2));
    }
}
