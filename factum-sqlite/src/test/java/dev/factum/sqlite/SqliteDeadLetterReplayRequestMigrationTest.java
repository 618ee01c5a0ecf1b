// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import dev.factum.sqlite.internal.SchemaMigrations;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V013 rebuilds the dead-letter table for the state {@code REPLAY_REQUESTED}: a file of the release before keeps its
 * letters exactly, gets the index back, and its letters can have replays requested.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteDeadLetterReplayRequestMigrationTest {
    private static final String V013 = "V013__dead_letters_replay_requested.sql";
    private static final Instant DEAD_AT = Instant.parse("2030-01-01T00:00:00Z");
    private static final long DEAD_AT_MICROS = DEAD_AT.getEpochSecond() * 1_000_000;

    @TempDir
    Path directory;

    @Test
    void a_file_of_the_release_before_keeps_its_letters_and_can_request_replays() throws Exception {
        Path file = directory.resolve("old.db");
        UUID parked = UUID.randomUUID();
        UUID discarded = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            migrateUpTo(c, V013);
            insert(c, parked, "PARKED", null, null);
            insert(c, discarded, "DISCARDED", "duplicate", DEAD_AT_MICROS + 60_000_000);
        }

        try (SqliteEventStore store = SqliteEventStore.open(SqliteConfig.of(file))) {
            assertThat(store.deadLetterStore().find(parked)).contains(expected(parked, DeadLetterState.PARKED,
                    Optional.empty(), Optional.empty()));
            assertThat(store.deadLetterStore().find(discarded)).contains(expected(discarded, DeadLetterState.DISCARDED,
                    Optional.of("duplicate"), Optional.of(DEAD_AT.plusSeconds(60))));

            DeadLetter requested = store.deadLetterStore().requestReplay(parked, DEAD_AT.plusSeconds(120));

            assertThat(requested.state()).isEqualTo(DeadLetterState.REPLAY_REQUESTED);
            assertThat(requested.replayRequestedAt()).contains(DEAD_AT.plusSeconds(120));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet index = s.executeQuery("SELECT tbl_name FROM sqlite_schema WHERE type = 'index'"
                     + " AND name = 'dead_letters_dead_at'")) {
            assertThat(index.next()).as("the listing index is made again").isTrue();
            assertThat(index.getString(1)).isEqualTo("dead_letters");
        }
    }

    @Test
    void the_rebuilt_table_refuses_a_requested_letter_without_a_request_time() throws Exception {
        Path file = directory.resolve("new.db");
        SqliteEventStore.open(SqliteConfig.of(file)).close();

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            insert(c, UUID.randomUUID(), "PARKED", null, null);
            int refused = 0;
            for (String state : List.of("'REPLAY_REQUESTED'", "'LOST'")) {
                try {
                    s.executeUpdate("UPDATE dead_letters SET state = " + state);
                } catch (java.sql.SQLException e) {
                    assertThat(e.getMessage()).contains("CHECK constraint failed");
                    refused++;
                }
            }
            assertThat(refused).as("both changes break a CHECK constraint").isEqualTo(2);
        }
    }

    /** Applies the migrations before {@code first}, recording them, as the release before left a file. */
    private static void migrateUpTo(Connection c, String first) throws Exception {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    + " applied_at INTEGER NOT NULL) STRICT");
            for (String migration : SchemaMigrations.FILES) {
                if (migration.equals(first)) break;
                s.executeUpdate(read(migration));
                int version = Integer.parseInt(migration.substring(1, migration.indexOf("__")));
                s.executeUpdate("INSERT INTO schema_version VALUES (" + version + ", '" + migration + "', 0)");
            }
        }
    }

    private static void insert(Connection c, UUID id, String state, String resolution, Long resolvedAt)
            throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO dead_letters (id, consumer, message_type,"
                + " headers, body, reason, stack_summary, attempts, dead_at, state, resolution, resolved_at)"
                + " VALUES (?, 'ledger', 'Deposited', '{\"factum-type\":\"Deposited\"}', '{\"amount\":1}', 'boom',"
                + " 'stack', '[{\"number\":1,\"at\":\"2030-01-01T00:00:00Z\",\"error\":\"boom\"}]', ?, ?, ?, ?)")) {
            insert.setString(1, id.toString());
            insert.setLong(2, DEAD_AT_MICROS);
            insert.setString(3, state);
            insert.setString(4, resolution);
            insert.setObject(5, resolvedAt);
            insert.executeUpdate();
        }
    }

    private static DeadLetter expected(UUID id, DeadLetterState state, Optional<String> resolution,
                                       Optional<Instant> resolvedAt) {
        return new DeadLetter(id, "ledger", Map.of("factum-type", "Deposited"), "{\"amount\":1}", "boom", "stack",
                List.of(new Attempt(1, DEAD_AT, "boom")), DEAD_AT, state, resolution, resolvedAt);
    }

    private static String read(String migration) throws IOException {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("/dev/factum/sqlite/schema/" + migration)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
