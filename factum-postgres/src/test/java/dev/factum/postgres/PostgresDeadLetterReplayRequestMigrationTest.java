// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.postgres.internal.MigrationsAccess;
import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V015 lets dead letters wait for a requested replay: a schema of the release before keeps its letters exactly, and
 * the new constraints hold (a requested letter has a request time and is not resolved).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresDeadLetterReplayRequestMigrationTest {
    private static final String V015 = "V015__dead_letters_replay_requested.sql";
    private static final Instant DEAD_AT = Instant.parse("2030-01-01T00:00:00Z");

    private final String url = PostgresStoreFixture.url();
    private final String schema = "factum_dlq_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    @AfterEach
    void drop_the_schema() throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void a_schema_of_the_release_before_keeps_its_letters_and_can_request_replays() throws Exception {
        PostgresStoreFixture.requireReachable(url);
        UUID parked = UUID.randomUUID();
        UUID discarded = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url)) {
            migrateUpTo(c, V015);
            insert(c, parked, "PARKED", null, null);
            insert(c, discarded, "DISCARDED", "duplicate", DEAD_AT.plusSeconds(60));
        }

        try (PostgresEventStore store = PostgresEventStore.open(PostgresConfig.of(url).withSchema(schema)
                .withMaxPoolSize(2))) {
            assertThat(store.deadLetterStore().find(parked)).contains(expected(parked, DeadLetterState.PARKED,
                    Optional.empty(), Optional.empty()));
            assertThat(store.deadLetterStore().find(discarded)).contains(expected(discarded, DeadLetterState.DISCARDED,
                    Optional.of("duplicate"), Optional.of(DEAD_AT.plusSeconds(60))));

            DeadLetter requested = store.deadLetterStore().requestReplay(parked, DEAD_AT.plusSeconds(120));

            assertThat(requested.state()).isEqualTo(DeadLetterState.REPLAY_REQUESTED);
            assertThat(requested.replayRequestedAt()).contains(DEAD_AT.plusSeconds(120));
        }

        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + schema + ".dead_letters SET state = 'PARKED' WHERE id = '" + parked + "'");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE " + schema + ".dead_letters"
                    + " SET state = 'REPLAY_REQUESTED', replay_requested_at = NULL WHERE id = '" + parked + "'"))
                    .as("a requested letter has a request time").hasMessageContaining("dead_letters_replay_requested_check");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE " + schema + ".dead_letters"
                    + " SET state = 'REPLAY_REQUESTED', replay_requested_at = now(), resolved_at = now()"
                    + " WHERE id = '" + parked + "'"))
                    .as("a requested letter is not resolved").hasMessageContaining("dead_letters_resolved_check");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE " + schema + ".dead_letters SET state = 'LOST'"))
                    .hasMessageContaining("dead_letters_state_check");
        }
    }

    /** Applies the migrations before {@code first}, recording them, as the release before left a schema. */
    private void migrateUpTo(Connection c, String first) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute(substitute(read("schema_migrations_table.sql")));
            for (String migration : MigrationsAccess.files()) {
                if (migration.equals(first)) break;
                s.execute(substitute(read(migration)));
                int version = Integer.parseInt(migration.substring(1, migration.indexOf("__")));
                s.execute("INSERT INTO " + schema + ".schema_migrations (version, name) VALUES (" + version + ", '"
                        + migration + "')");
            }
        }
    }

    private void insert(Connection c, UUID id, String state, String resolution, Instant resolvedAt)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + schema + ".dead_letters (id, consumer,"
                + " message_type, headers, body, reason, stack_summary, attempts, dead_at, state, resolution,"
                + " resolved_at) VALUES (?, 'ledger', 'Deposited', '{\"factum-type\":\"Deposited\"}', ?, 'boom',"
                + " 'stack', '[{\"number\":1,\"at\":\"2030-01-01T00:00:00Z\",\"error\":\"boom\"}]', ?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setBytes(2, "{\"amount\":1}".getBytes(StandardCharsets.UTF_8));
            insert.setObject(3, OffsetDateTime.ofInstant(DEAD_AT, ZoneOffset.UTC));
            insert.setString(4, state);
            insert.setString(5, resolution);
            insert.setObject(6, resolvedAt == null ? null : OffsetDateTime.ofInstant(resolvedAt, ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    private static DeadLetter expected(UUID id, DeadLetterState state, Optional<String> resolution,
                                       Optional<Instant> resolvedAt) {
        return new DeadLetter(id, "ledger", Map.of("factum-type", "Deposited"), "{\"amount\":1}", "boom", "stack",
                List.of(new Attempt(1, DEAD_AT, "boom")), DEAD_AT, state, resolution, resolvedAt);
    }

    private String substitute(String sql) {
        return sql.replace("${schema}", "\"" + schema + "\"");
    }

    private static String read(String migration) throws IOException {
        try (InputStream in = PostgresEventStore.class.getResourceAsStream("/dev/factum/postgres/migrations/"
                + migration)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
