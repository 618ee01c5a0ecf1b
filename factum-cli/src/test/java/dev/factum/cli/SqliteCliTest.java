// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/** The command line on a SQLite file in a fresh directory per test (the directory the CLI itself creates). */
class SqliteCliTest extends CliContract {
    @TempDir
    Path directory;

    @Override
    protected List<String> storeArgs() {
        return List.of("--store", directory.resolve("data").resolve("factum.db").toString());
    }
}
