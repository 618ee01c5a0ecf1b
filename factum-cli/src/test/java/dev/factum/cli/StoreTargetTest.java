// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoreTargetTest {

    @Test
    void a_path_is_a_sqlite_file() {
        assertThat(StoreTarget.parse("./data/factum.db", Optional.empty())).isEqualTo(new StoreTarget.Sqlite(Path.of("./data/factum.db")));
    }

    @Test
    void a_jdbc_url_is_used_as_given_with_its_schema() {
        assertThat(StoreTarget.parse("jdbc:postgresql://db:5432/app?user=u", Optional.of("events")))
                .isEqualTo(new StoreTarget.Postgres("jdbc:postgresql://db:5432/app?user=u", Optional.of("events")));
    }

    @Test
    void a_libpq_style_url_becomes_a_jdbc_url_with_the_user_and_password_as_parameters() {
        assertThat(StoreTarget.toJdbcUrl("postgresql://postgres@127.0.0.1:5432/test"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        assertThat(StoreTarget.toJdbcUrl("postgres://app:s%40cret@db/orders?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db/orders?user=app&password=s%40cret&sslmode=require");
        assertThat(StoreTarget.toJdbcUrl("postgresql://db:6543/orders")).isEqualTo("jdbc:postgresql://db:6543/orders");
    }

    @Test
    void a_libpq_style_url_without_a_database_is_refused() {
        assertThatThrownBy(() -> StoreTarget.parse("postgresql://u:pw@db:5432", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no database name").hasMessageNotContaining("pw");
    }

    @Test
    void passwords_are_masked_for_display() {
        assertThat(StoreTarget.redact("postgresql://app:secret@db/orders")).isEqualTo("postgresql://app:***@db/orders");
        assertThat(StoreTarget.redact("jdbc:postgresql://db/orders?user=app&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/orders?user=app&password=***&ssl=true");
    }
}
