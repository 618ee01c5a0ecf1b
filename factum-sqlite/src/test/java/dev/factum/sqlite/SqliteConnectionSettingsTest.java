// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.event.NewEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStoreException;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteConnectionSettingsTest {
    private final SqliteStoreFixture fixture = new SqliteStoreFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(SqliteSynchronous.class)
    void the_synchronous_setting_is_applied_on_the_writer_and_on_every_reader(SqliteSynchronous synchronous) {
        SqliteEventStore store = fixture.open(fixture.config().withSynchronous(synchronous).withReadConnections(3));

        assertThat(store.pragmaOnEveryConnection("synchronous"))
                .as("synchronous is per connection in SQLite: the writer and all 3 readers must carry %s", synchronous)
                .containsExactlyElementsOf(Collections.nCopies(4, Integer.toString(synchronous.pragmaValue())));
    }

    @Test
    void synchronous_is_full_unless_configured_otherwise() {
        assertThat(SqliteConfig.of(fixture.config().file()).synchronous()).isEqualTo(SqliteSynchronous.FULL);
        assertThat(fixture.eventStore().pragmaOnEveryConnection("synchronous")).containsOnly("2");
    }

    @Test
    void the_file_is_in_wal_mode_on_every_connection() {
        assertThat(fixture.eventStore().pragmaOnEveryConnection("journal_mode")).containsOnly("wal");
        assertThat(Files.exists(fixture.config().file().resolveSibling("store.db-wal"))).isTrue();
    }

    @Test
    void foreign_keys_are_on_for_every_connection() {
        assertThat(fixture.eventStore().pragmaOnEveryConnection("foreign_keys")).containsOnly("1");
    }

    @Test
    void an_append_waits_for_the_write_lock_of_another_process_and_then_sees_its_commit() throws Exception {
        SqliteEventStore store = fixture.eventStore();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + fixture.config().file());
             Statement statement = other.createStatement();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            statement.execute("BEGIN IMMEDIATE");
            statement.executeUpdate("INSERT INTO events VALUES (1, 'Account-1', 'Account', 1, '" + UUID.randomUUID()
                    + "', 'Tested', '{}', '{\"eventId\":\"" + UUID.randomUUID() + "\",\"correlationId\":\"x\",\"causationId\":\"x\"}', 0)");
            Future<AppendResult> append = threads.submit(() -> store.append(StreamId.of("Account", "1"),
                    ExpectedVersion.exactly(1), List.of(NewEvent.of("Tested", "{}"))));
            statement.execute("COMMIT");

            assertThat(append.get().firstPosition()).as("positions are assigned under the write lock")
                    .isEqualTo(Position.of(2));
        }
    }

    @Test
    void an_append_that_cannot_get_the_write_lock_within_the_busy_timeout_fails_saying_a_retry_is_safe()
            throws Exception {
        SqliteEventStore store = fixture.open(fixture.config().withBusyTimeout(Duration.ofMillis(50)));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + fixture.config().file());
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");

            assertThatThrownBy(() -> store.append(StreamId.of("Account", "1"), ExpectedVersion.any(),
                    List.of(NewEvent.of("Tested", "{}"))))
                    .isInstanceOf(EventStoreException.class)
                    .hasMessageContaining("append to Account-1")
                    .hasMessageContaining("busy timeout")
                    .hasMessageContaining("retrying is safe");
            statement.execute("ROLLBACK");
        }
        assertThat(store.append(StreamId.of("Account", "1"), ExpectedVersion.any(), List.of(NewEvent.of("Tested", "{}")))
                .firstPosition()).isEqualTo(Position.of(1));
    }

    @Test
    void opening_creates_missing_parent_directories() {
        SqliteEventStore store = fixture.open(
                SqliteConfig.of(fixture.config().file().resolveSibling("a/b/nested.db")));

        assertThat(store.headPosition().value()).isZero();
        assertThat(Files.exists(fixture.config().file().resolveSibling("a/b/nested.db"))).isTrue();
    }

    @Test
    void a_file_that_is_not_a_database_is_refused_with_a_clear_error() throws Exception {
        var garbage = fixture.config().file().resolveSibling("garbage.db");
        Files.writeString(garbage, "this is not a database, just some text long enough to fill a header ".repeat(20));

        assertThatThrownBy(() -> SqliteEventStore.open(SqliteConfig.of(garbage)))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("open sqlite " + garbage)
                .hasMessageContaining("not a healthy SQLite database");
    }
}
