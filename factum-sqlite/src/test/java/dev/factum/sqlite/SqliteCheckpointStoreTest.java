// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.FactumException;
import dev.factum.event.NewEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checkpoint transaction shares the store's single writer connection with the appends. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteCheckpointStoreTest {
    private final SqliteStoreFixture fixture = new SqliteStoreFixture();
    private final SqliteEventStore store = fixture.eventStore();
    private final CheckpointStore checkpoints = store.checkpointStore();

    @BeforeEach
    void createReadModel() {
        checkpoints.commit(new Checkpoint("setup", Position.BEGINNING), tx -> execute(tx.connection().orElseThrow(),
                "CREATE TABLE read_model (id INTEGER PRIMARY KEY, note TEXT NOT NULL)"));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void the_work_and_the_checkpoint_commit_together_through_the_writer_connection() {
        checkpoints.commit(new Checkpoint("projection", Position.of(7)), tx -> execute(tx.connection().orElseThrow(),
                "INSERT INTO read_model (note) VALUES ('seen 7')"));

        assertThat(checkpoints.load("projection")).contains(Position.of(7));
        assertThat(readModelRows()).isEqualTo(1);
    }

    @Test
    void a_failing_work_rolls_back_its_writes_and_keeps_the_previous_checkpoint() {
        checkpoints.save(new Checkpoint("projection", Position.of(3)));

        assertThatThrownBy(() -> checkpoints.commit(new Checkpoint("projection", Position.of(9)), tx -> {
            execute(tx.connection().orElseThrow(), "INSERT INTO read_model (note) VALUES ('half done')");
            throw new SQLException("handler failed");
        })).isInstanceOf(FactumException.class).hasMessageContaining("handler failed");

        assertThat(checkpoints.load("projection")).as("no checkpoint moves past an effect not applied (invariant 4)")
                .contains(Position.of(3));
        assertThat(readModelRows()).isZero();
    }

    @Test
    void the_work_may_not_commit_roll_back_or_close_the_transaction_connection() {
        for (String call : List.of("commit", "rollback", "close")) {
            assertThatThrownBy(() -> checkpoints.commit(new Checkpoint("projection", Position.of(1)), tx -> {
                Connection connection = tx.connection().orElseThrow();
                execute(connection, "INSERT INTO read_model (note) VALUES ('x')");
                switch (call) {
                    case "commit" -> connection.commit();
                    case "rollback" -> connection.rollback();
                    default -> connection.close();
                }
            })).as(call).hasMessageContaining("Connection." + call + "() is not allowed inside a checkpoint transaction");
        }
        assertThat(checkpoints.load("projection")).isEmpty();
        assertThat(readModelRows()).isZero();
    }

    @Test
    void appending_from_inside_the_work_is_refused_instead_of_waiting_for_itself() {
        assertThatThrownBy(() -> checkpoints.commit(new Checkpoint("projection", Position.of(1)),
                tx -> store.append(StreamId.of("Account", "1"), ExpectedVersion.any(), List.of(NewEvent.of("Tested", "{}")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a checkpoint transaction");
        assertThat(store.streamVersion(StreamId.of("Account", "1"))).isZero();
    }

    @Test
    void checkpoint_commits_and_appends_from_many_threads_share_the_writer_without_losing_either() throws Exception {
        int rounds = 50;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String name = "projection-" + t;
                work.add(threads.submit(() -> {
                    for (int i = 1; i <= rounds; i++) {
                        checkpoints.commit(new Checkpoint(name, Position.of(i)), tx -> execute(
                                tx.connection().orElseThrow(), "INSERT INTO read_model (note) VALUES ('" + name + "')"));
                    }
                }));
                work.add(threads.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        store.append(StreamId.of("Account", name), ExpectedVersion.any(), List.of(NewEvent.of("Tested", "{}")));
                    }
                }));
            }
            for (Future<?> future : work) future.get();
        }

        assertThat(readModelRows()).isEqualTo(4 * rounds);
        assertThat(store.headPosition()).isEqualTo(Position.of(4 * rounds));
        for (int t = 0; t < 4; t++) assertThat(checkpoints.load("projection-" + t)).contains(Position.of(rounds));
    }

    @Test
    void delete_forgets_the_checkpoint() {
        checkpoints.save(new Checkpoint("projection", Position.of(5)));

        checkpoints.delete("projection");

        assertThat(checkpoints.load("projection")).isEmpty();
    }

    private long readModelRows() {
        long[] count = new long[1];
        checkpoints.commit(new Checkpoint("inspect", Position.BEGINNING), tx -> {
            try (Statement statement = tx.connection().orElseThrow().createStatement();
                 ResultSet row = statement.executeQuery("SELECT count(*) FROM read_model")) {
                row.next();
                count[0] = row.getLong(1);
            }
        });
        return count[0];
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
