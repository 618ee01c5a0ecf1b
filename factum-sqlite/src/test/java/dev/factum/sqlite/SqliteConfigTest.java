// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.store.StoreLimits;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteConfigTest {
    private final SqliteConfig defaults = SqliteConfig.of(Path.of("data/factum.db"));

    @Test
    void the_defaults_are_durable_on_power_loss() {
        assertThat(defaults).isEqualTo(new SqliteConfig(Path.of("data/factum.db"), SqliteSynchronous.FULL,
                StoreLimits.DEFAULT, Duration.ofSeconds(10), 4));
    }

    @Test
    void each_with_method_returns_a_copy_with_one_setting_changed_and_leaves_the_original_alone() {
        StoreLimits small = StoreLimits.DEFAULT.withMaxPayloadBytes(100);

        assertThat(defaults.withSynchronous(SqliteSynchronous.NORMAL).synchronous()).isEqualTo(SqliteSynchronous.NORMAL);
        assertThat(defaults.withLimits(small).limits()).isEqualTo(small);
        assertThat(defaults.withBusyTimeout(Duration.ofSeconds(1)).busyTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.withReadConnections(2).readConnections()).isEqualTo(2);
        assertThat(defaults).isEqualTo(SqliteConfig.of(Path.of("data/factum.db")));
    }

    @Test
    void invalid_settings_are_refused_naming_the_setting() {
        assertThatThrownBy(() -> defaults.withReadConnections(0)).hasMessageContaining("read connections");
        assertThatThrownBy(() -> defaults.withReadConnections(65)).hasMessageContaining("read connections");
        assertThatThrownBy(() -> defaults.withBusyTimeout(Duration.ofMillis(-1))).hasMessageContaining("busy timeout");
        assertThatThrownBy(() -> defaults.withSynchronous(null)).hasMessageContaining("synchronous");
    }

    @Test
    void synchronous_values_are_the_numbers_sqlite_reports() {
        assertThat(SqliteSynchronous.OFF.pragmaValue()).isZero();
        assertThat(SqliteSynchronous.NORMAL.pragmaValue()).isEqualTo(1);
        assertThat(SqliteSynchronous.FULL.pragmaValue()).isEqualTo(2);
        assertThat(SqliteSynchronous.EXTRA.pragmaValue()).isEqualTo(3);
    }
}
