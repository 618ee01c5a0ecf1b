// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/** {@code factum dead-letters} on a SQLite file in a fresh directory per test. */
class SqliteDeadLetterCliTest extends DeadLetterCliContract {
    @TempDir
    Path directory;

    @Override
    protected List<String> storeArgs() {
        return List.of("--store", directory.resolve("data").resolve("factum.db").toString());
    }
}
