// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.store.EventStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Collections;

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
    void busy_timeout_and_foreign_keys_are_set_on_every_connection() {
        SqliteEventStore store = fixture.open(fixture.config().withBusyTimeout(Duration.ofMillis(1234)));

        assertThat(store.pragmaOnEveryConnection("busy_timeout")).containsOnly("1234");
        assertThat(store.pragmaOnEveryConnection("foreign_keys")).containsOnly("1");
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

    @Test
    void invalid_settings_are_refused_naming_the_setting() {
        SqliteConfig config = fixture.config();
        assertThatThrownBy(() -> config.withReadConnections(0)).hasMessageContaining("read connections");
        assertThatThrownBy(() -> config.withBusyTimeout(Duration.ofMillis(-1))).hasMessageContaining("busy timeout");
    }
}
