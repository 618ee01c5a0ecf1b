// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.factum.cli.CliContract.assertFailedInOneLine;
import static org.assertj.core.api.Assertions.assertThat;

/** Errors that do not depend on the store's contents: each one line on stderr and a documented exit code. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CliErrorsTest {

    @Nested
    class Store {
        @Test
        void an_unreachable_postgresql_server_is_a_failure_named_in_one_line() {
            CliRun.Result result = CliRun.factum(List.of("--store", "postgresql://postgres@127.0.0.1:1/test"), "stats");

            assertFailedInOneLine(result, FactumCli.FAILURE);
            assertThat(result.err()).containsIgnoringCase("refused");
        }

        @Test
        void a_sqlite_file_whose_directory_cannot_be_created_is_a_failure_named_in_one_line(@TempDir Path dir) throws IOException {
            Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");

            CliRun.Result result = CliRun.factum(List.of("--store", notADirectory.resolve("factum.db").toString()), "stats");

            assertFailedInOneLine(result, FactumCli.FAILURE, "cannot create the directory");
        }

        @Test
        void a_store_url_of_another_database_is_a_usage_error() {
            assertFailedInOneLine(CliRun.factum(List.of("--store", "mysql://root@localhost/db"), "stats"), FactumCli.USAGE, "not supported");
            assertFailedInOneLine(CliRun.factum(List.of("--store", "jdbc:mysql://localhost/db"), "stats"), FactumCli.USAGE, "not supported");
        }

        @Test
        void a_schema_for_a_sqlite_file_is_a_usage_error(@TempDir Path dir) {
            assertFailedInOneLine(CliRun.factum(List.of("--store", dir.resolve("f.db").toString(), "--schema", "s"), "stats"),
                    FactumCli.USAGE, "--schema applies to PostgreSQL only");
        }
    }

    @Nested
    class Usage {
        @Test
        void no_command_is_a_usage_error_listing_the_commands() {
            assertFailedInOneLine(CliRun.factum(List.of()), FactumCli.USAGE, "append, read, read-all, tail, stats");
        }

        @Test
        void an_unknown_command_is_a_usage_error() {
            assertFailedInOneLine(CliRun.factum(List.of(), "delete-everything"), FactumCli.USAGE, "delete-everything");
        }

        @Test
        void help_lists_the_commands_and_the_exit_codes() {
            CliRun.Result help = CliRun.factum(List.of(), "--help");

            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("append", "read-all", "tail", "stats", "Exit codes:", "concurrency conflict");
            assertThat(CliRun.factum(List.of(), "append", "--help").out()).contains("--expected-version");
        }
    }

    @Nested
    class Unexpected {
        @Test
        void an_unexpected_error_is_one_line_pointing_to_verbose() {
            CliRun.Result result = CliRun.withOpener(target -> {
                throw new IllegalStateException("the opener broke");
            }, "stats");

            assertFailedInOneLine(result, FactumCli.FAILURE, "unexpected error", "the opener broke", "--verbose");
        }

        @Test
        void verbose_adds_the_stack_trace() {
            CliRun.Result result = CliRun.withOpener(target -> {
                throw new IllegalStateException("the opener broke");
            }, "stats", "--verbose");

            assertThat(result.exitCode()).isEqualTo(FactumCli.FAILURE);
            assertThat(result.err()).startsWith("factum: unexpected error").contains("\tat ");
        }
    }
}
