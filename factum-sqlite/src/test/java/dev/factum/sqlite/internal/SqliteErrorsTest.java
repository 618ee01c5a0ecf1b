// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import dev.factum.store.EventStoreException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Real SQLite errors (from an in-memory database) and what the one translator makes of them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteErrorsTest {

    @Test
    void a_unique_violation_becomes_an_error_naming_the_operation_and_saying_a_retry_is_safe() throws Exception {
        SQLException violation = sqliteError("CREATE TABLE t (stream TEXT, version INTEGER, UNIQUE (stream, version))",
                "INSERT INTO t VALUES ('Account-1', 1)", "INSERT INTO t VALUES ('Account-1', 1)");

        EventStoreException error = SqliteErrors.translate("append to Account-1", violation);

        assertThat(SqliteErrors.isUniqueViolation(violation)).isTrue();
        assertThat(error).hasMessageStartingWith("append to Account-1 failed: ")
                .hasMessageContaining("retrying the append with the same event ids is safe")
                .hasCause(violation);
    }

    @Test
    void a_primary_key_violation_is_a_unique_violation_too() throws Exception {
        SQLException violation = sqliteError("CREATE TABLE t (position INTEGER PRIMARY KEY)",
                "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (1)");

        assertThat(SqliteErrors.isUniqueViolation(violation)).isTrue();
    }

    @Test
    void other_errors_keep_sqlite_s_message_after_the_operation() throws Exception {
        SQLException missing = sqliteError("SELECT * FROM nowhere");

        assertThat(SqliteErrors.isUniqueViolation(missing)).isFalse();
        assertThat(SqliteErrors.translate("read all after position 0", missing))
                .hasMessageStartingWith("read all after position 0 failed: ")
                .hasMessageContaining("no such table: nowhere");
    }

    private static SQLException sqliteError(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement statement = connection.createStatement()) {
            return catchThrowableOfType(SQLException.class, () -> {
                for (String sql : statements) statement.execute(sql);
            });
        }
    }
}
