// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.event.InvalidEventException;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.store.EventStoreException;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StoreLimits;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schema creation and migration at start-up, the JSONB columns, and the schema name rules. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresSchemaTest {
    private PostgresStoreFixture fixture;

    @BeforeEach
    void open() {
        fixture = new PostgresStoreFixture();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Nested
    class Migrations {

        @Test
        void stores_started_at_once_on_a_new_schema_all_open_and_each_migration_runs_once() throws Exception {
            try (Connection c = fixture.rawConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA \"" + fixture.schema() + "\" CASCADE"); // the fixture's store created it already
            }
            int starters = 4;
            CyclicBarrier together = new CyclicBarrier(starters);
            ExecutorService executor = Executors.newFixedThreadPool(starters);
            try {
                List<Future<PostgresEventStore>> opening = new ArrayList<>();
                for (int i = 0; i < starters; i++) {
                    opening.add(executor.submit(() -> {
                        together.await();
                        return fixture.open(StoreLimits.DEFAULT);
                    }));
                }
                for (Future<PostgresEventStore> f : opening) assertThat(f.get(60, TimeUnit.SECONDS)).isNotNull();
            } finally {
                executor.shutdownNow();
            }

            assertThat(appliedMigrations()).containsExactlyElementsOf(dev.factum.postgres.internal.MigrationsAccess.files());
        }

        @Test
        void opening_a_current_schema_again_applies_nothing_and_keeps_the_events() throws Exception {
            fixture.eventStore().append(StreamId.of("Ledger", "1"), ExpectedVersion.noStream(), List.of(NewEvent.of("Opened", "{}")));
            List<String> before = appliedMigrations();

            PostgresEventStore again = fixture.open(StoreLimits.DEFAULT);

            assertThat(appliedMigrations()).isEqualTo(before);
            assertThat(again.streamVersion(StreamId.of("Ledger", "1"))).isEqualTo(1);
        }
    }

    @Nested
    class Upgrades {

        @Test
        void a_schema_of_the_release_before_snapshots_and_command_results_gets_their_tables_and_keeps_its_events()
                throws Exception {
            fixture.eventStore().append(StreamId.of("Ledger", "1"), ExpectedVersion.noStream(), List.of(NewEvent.of("Opened", "{}")));
            List<String> later = new ArrayList<>();
            try (Connection c = fixture.rawConnection(); Statement s = c.createStatement()) {
                try (ResultSet tables = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '"
                        + fixture.schema() + "' AND tablename NOT IN ('events', 'checkpoints', 'schema_migrations')")) {
                    while (tables.next()) later.add(tables.getString(1));
                }
                for (String table : later) s.execute("DROP TABLE \"" + fixture.schema() + "\"." + table);
                s.execute("DELETE FROM \"" + fixture.schema() + "\".schema_migrations WHERE version > 5");
            }
            assertThat(later).contains("snapshots", "command_results");

            PostgresEventStore upgraded = fixture.open(StoreLimits.DEFAULT);

            assertThat(appliedMigrations()).containsExactlyElementsOf(dev.factum.postgres.internal.MigrationsAccess.files());
            assertThat(upgraded.streamVersion(StreamId.of("Ledger", "1"))).isEqualTo(1);
            assertThat(upgraded.snapshotStore().load(StreamId.of("Ledger", "1"))).isEmpty();
            assertThat(upgraded.commandResultStore().find(java.util.UUID.randomUUID())).isEmpty();
        }
    }

    @Nested
    class Migration_history {

        @Test
        void a_schema_migrated_by_another_build_is_refused_with_a_message_naming_the_migration() throws Exception {
            try (Connection c = fixture.rawConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE \"" + fixture.schema() + "\".schema_migrations SET name = 'V005__something_else.sql'"
                        + " WHERE version = 5");
            }

            assertThatThrownBy(() -> fixture.open(StoreLimits.DEFAULT))
                    .isInstanceOf(EventStoreException.class)
                    .hasMessageContaining("migrated by another Factum build")
                    .hasMessageContaining("V005__something_else.sql");
        }
    }

    @Nested
    class Payloads {

        @Test
        void payload_and_metadata_are_stored_as_jsonb_and_can_be_queried() throws Exception {
            Metadata metadata = Metadata.create().withUserId("u-7").withHeader("tenant", "north");
            fixture.eventStore().append(StreamId.of("Ledger", "1"), ExpectedVersion.any(),
                    List.of(new NewEvent("Credited", "{\"amount\": 12, \"note\": \"a \\\"quoted\\\" word\"}", metadata)));

            try (Connection c = fixture.rawConnection(); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT pg_typeof(data)::text, pg_typeof(metadata)::text,"
                         + " (data->>'amount')::int, data->>'note', metadata->'headers'->>'tenant', metadata->>'userId'"
                         + " FROM \"" + fixture.schema() + "\".events")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("jsonb");
                assertThat(rows.getString(2)).isEqualTo("jsonb");
                assertThat(rows.getInt(3)).isEqualTo(12);
                assertThat(rows.getString(4)).isEqualTo("a \"quoted\" word");
                assertThat(rows.getString(5)).isEqualTo("north");
                assertThat(rows.getString(6)).isEqualTo("u-7");
            }
        }

        @Test
        void a_payload_holding_the_nul_character_is_refused_by_name_and_nothing_is_written() {
            StreamId stream = StreamId.of("Ledger", "1");
            assertThatThrownBy(() -> fixture.eventStore().append(stream, ExpectedVersion.any(),
                    List.of(NewEvent.of("Credited", "{}"), NewEvent.of("Credited", "{\"note\":\"a\\u0000b\"}"))))
                    .isInstanceOf(InvalidEventException.class).hasMessageContaining("NUL");
            assertThat(fixture.eventStore().streamVersion(stream)).isZero();
        }

        @Test
        void an_escaped_backslash_before_u0000_is_ordinary_text_and_is_stored() {
            StreamId stream = StreamId.of("Ledger", "1");
            fixture.eventStore().append(stream, ExpectedVersion.any(), List.of(NewEvent.of("Credited", "{\"path\":\"C:\\\\u0000\"}")));
            assertThat(fixture.eventStore().streamVersion(stream)).isEqualTo(1);
        }
    }

    @Nested
    class Schema_names {

        @Test
        void a_name_that_is_not_a_plain_identifier_is_refused_before_connecting() {
            assertThatThrownBy(() -> PostgresConfig.of(fixture.jdbcUrl()).withSchema("x\"; DROP TABLE y; --"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema name");
        }

        @Test
        void a_url_that_is_not_postgresql_is_refused_by_name() {
            assertThatThrownBy(() -> PostgresConfig.of("jdbc:sqlite:x.db"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PostgreSQL JDBC URL");
        }
    }

    private List<String> appliedMigrations() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = fixture.rawConnection();
             PreparedStatement q = c.prepareStatement("SELECT name FROM \"" + fixture.schema() + "\".schema_migrations ORDER BY version");
             ResultSet rows = q.executeQuery()) {
            while (rows.next()) names.add(rows.getString(1));
        }
        return names;
    }
}
