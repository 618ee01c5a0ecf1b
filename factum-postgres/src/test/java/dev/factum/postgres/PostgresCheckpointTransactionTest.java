// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.store.Position;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The handler's writes and the checkpoint commit in one transaction on the store's database. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresCheckpointTransactionTest {
    private PostgresStoreFixture fixture;
    private CheckpointStore checkpoints;
    private String table;

    @BeforeEach
    void open() throws SQLException {
        fixture = new PostgresStoreFixture();
        checkpoints = fixture.checkpointStore();
        table = "\"" + fixture.schema() + "\".read_model";
        try (Connection c = fixture.rawConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
        }
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void a_write_through_the_transaction_commits_with_the_checkpoint() throws Exception {
        checkpoints.commit(new Checkpoint("model", Position.of(5)), tx -> {
            try (Statement s = tx.connection().orElseThrow().createStatement()) {
                s.executeUpdate("INSERT INTO " + table + " VALUES (1)");
            }
        });

        assertThat(rows()).isEqualTo(1);
        assertThat(checkpoints.load("model")).contains(Position.of(5));
    }

    @Test
    void work_that_fails_after_writing_leaves_neither_its_write_nor_the_checkpoint() throws Exception {
        checkpoints.save(new Checkpoint("model", Position.of(3)));

        assertThatThrownBy(() -> checkpoints.commit(new Checkpoint("model", Position.of(5)), tx -> {
            try (Statement s = tx.connection().orElseThrow().createStatement()) {
                s.executeUpdate("INSERT INTO " + table + " VALUES (1)");
            }
            throw new IllegalStateException("read model refused the event");
        })).isInstanceOf(IllegalStateException.class).hasMessage("read model refused the event");

        assertThat(rows()).as("invariant 4: no checkpoint moves past an effect that was not applied").isZero();
        assertThat(checkpoints.load("model")).contains(Position.of(3));
    }

    private long rows() throws SQLException {
        try (Connection c = fixture.rawConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }
}
