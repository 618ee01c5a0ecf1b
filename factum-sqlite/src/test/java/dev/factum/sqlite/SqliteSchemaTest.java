// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.event.NewEvent;
import dev.factum.sqlite.internal.SchemaMigrations;
import dev.factum.store.EventStoreException;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StreamId;
import dev.factum.subscription.Checkpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteSchemaTest {
    private final SqliteStoreFixture fixture = new SqliteStoreFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void every_migration_is_applied_once_and_recorded_in_order() {
        assertThat(recordedMigrations(fixture.eventStore())).containsExactlyElementsOf(SchemaMigrations.FILES);
    }

    @Test
    void reopening_applies_nothing_again_and_keeps_the_data() {
        SqliteEventStore store = fixture.eventStore();
        store.append(StreamId.of("Account", "1"), ExpectedVersion.noStream(), List.of(NewEvent.of("Tested", "{}")));
        store.checkpointStore().save(new Checkpoint("projection", Position.of(1)));
        store.close();

        SqliteEventStore reopened = fixture.open(fixture.config());
        SqliteEventStore again = fixture.open(fixture.config());

        assertThat(recordedMigrations(again)).containsExactlyElementsOf(SchemaMigrations.FILES);
        assertThat(reopened.readAll(ReadAllOptions.fromStart())).hasSize(1);
        assertThat(reopened.checkpointStore().load("projection")).contains(Position.of(1));
    }

    @Test
    void a_file_of_the_release_before_snapshots_and_command_results_gets_their_tables_and_keeps_its_data() throws Exception {
        SqliteEventStore store = fixture.eventStore();
        store.append(StreamId.of("Account", "1"), ExpectedVersion.noStream(), List.of(NewEvent.of("Tested", "{}")));
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fixture.config().file());
             Statement s = c.createStatement()) { // back to schema version 3, as the previous release left files
            List<String> later = new ArrayList<>();
            try (ResultSet tables = s.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table'"
                    + " AND name NOT IN ('events', 'checkpoints', 'schema_version') AND name NOT LIKE 'sqlite_%'")) {
                while (tables.next()) later.add(tables.getString(1));
            }
            assertThat(later).contains("snapshots", "command_results");
            for (String table : later) s.execute("DROP TABLE " + table);
            s.execute("DELETE FROM schema_version WHERE version > 3");
        }

        SqliteEventStore upgraded = fixture.open(fixture.config());

        assertThat(recordedMigrations(upgraded)).containsExactlyElementsOf(SchemaMigrations.FILES);
        assertThat(upgraded.readAll(ReadAllOptions.fromStart())).hasSize(1);
        assertThat(upgraded.snapshotStore().load(StreamId.of("Account", "1"))).isEmpty();
        assertThat(upgraded.commandResultStore().find(java.util.UUID.randomUUID())).isEmpty();
    }

    @Test
    void opening_a_current_file_does_not_wait_for_the_write_lock_of_another_process() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + fixture.config().file());
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");

            SqliteEventStore opened = fixture.open(fixture.config().withBusyTimeout(Duration.ofMillis(50)));

            assertThat(opened.headPosition()).isEqualTo(Position.BEGINNING);
            statement.execute("ROLLBACK");
        }
    }

    @Test
    void a_file_with_a_newer_schema_is_refused_naming_both_versions() {
        SqliteEventStore store = fixture.eventStore();
        store.checkpointStore().commit(new Checkpoint("tamper", Position.BEGINNING), tx -> {
            try (Statement statement = tx.connection().orElseThrow().createStatement()) {
                statement.executeUpdate("INSERT INTO schema_version VALUES (999, 'V999__future.sql', 0)");
            }
        });
        store.close();

        assertThatThrownBy(() -> SqliteEventStore.open(fixture.config()))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("schema version 999")
                .hasMessageContaining("(" + SchemaMigrations.latestVersion() + ")");
    }

    @Test
    void every_schema_file_on_the_classpath_is_in_the_migration_list() throws IOException, URISyntaxException {
        Path directory = Path.of(SchemaMigrations.class.getResource("/dev/factum/sqlite/schema/").toURI());
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .as("each SQL file under schema/ must be listed in SchemaMigrations.FILES, in order")
                    .containsExactlyElementsOf(SchemaMigrations.FILES);
        }
    }

    private static List<String> recordedMigrations(SqliteEventStore store) {
        List<String> names = new ArrayList<>();
        store.checkpointStore().commit(new Checkpoint("inspect", Position.BEGINNING), tx -> {
            try (Statement statement = tx.connection().orElseThrow().createStatement();
                 ResultSet rows = statement.executeQuery("SELECT name FROM schema_version ORDER BY version")) {
                while (rows.next()) names.add(rows.getString(1));
            }
        });
        return names;
    }
}
