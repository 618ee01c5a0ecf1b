// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite.internal;

import dev.factum.store.EventStoreException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates and upgrades the schema when a store opens. Each change is one SQL file on the classpath under
 * {@code dev/factum/sqlite/schema/}, named {@code V<number>__<object>.sql} and holding one object — or, for a change
 * SQLite cannot make in place (a new CHECK constraint), the statements of one table rebuild; the files are applied in
 * number order, and each applied one is recorded in the {@code schema_version} table, all in one write
 * transaction ({@code BEGIN IMMEDIATE}), so two processes opening the same new file cannot both apply them and a
 * failed upgrade leaves the file as it was. Re-opening applies only the files not recorded yet.
 */
public final class SchemaMigrations {
    /** Every migration, in order. A new one is added at the end; an applied one is never edited. */
    public static final List<String> FILES = List.of(
            "V001__events_table.sql",
            "V002__events_category_position_index.sql",
            "V003__checkpoints_table.sql",
            "V004__snapshots_table.sql",
            "V005__command_results_table.sql",
            "V006__command_results_recorded_at_index.sql",
            "V007__inbox_table.sql",
            "V008__inbox_handled_at_index.sql",
            "V009__inbox_consumer_position_index.sql",
            "V010__dead_letters_table.sql",
            "V011__dead_letters_dead_at_index.sql",
            "V012__leases_table.sql",
            "V013__dead_letters_replay_requested.sql");

    private static final String DIRECTORY = "/dev/factum/sqlite/schema/";
    private static final Pattern NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");
    private static final String VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at INTEGER NOT NULL
            ) STRICT""";

    private SchemaMigrations() {
    }

    /** The highest schema version this code knows. */
    public static int latestVersion() {
        return version(FILES.get(FILES.size() - 1));
    }

    /**
     * Applies the migrations the file does not have yet.
     *
     * @return how many were applied now (0 when the schema was current)
     * @throws EventStoreException if the file has a schema newer than this code, or a recorded migration differs
     */
    public static int migrate(WriterConnection writer, String storeName) throws Exception {
        Map<Integer, String> current = appliedIfAny(writer.connection());
        check(current, storeName);
        if (current.size() == FILES.size()) return 0; // current: no need to wait for the write lock
        return writer.inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(VERSION_TABLE);
            }
            Map<Integer, String> applied = applied(connection);
            check(applied, storeName);
            int count = 0;
            for (String file : FILES) {
                int version = version(file);
                if (applied.containsKey(version)) continue;
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate(read(file)); // runs every statement of the file; execute() would run the first
                }
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)")) {
                    record.setInt(1, version);
                    record.setString(2, file);
                    record.setLong(3, System.currentTimeMillis() * 1000);
                    record.executeUpdate();
                }
                count++;
            }
            return count;
        });
    }

    /** The recorded migrations, read without a transaction; empty for a new file. */
    private static Map<Integer, String> appliedIfAny(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet table = statement.executeQuery(
                     "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'")) {
            if (!table.next()) return Map.of();
        }
        return applied(connection);
    }

    private static Map<Integer, String> applied(Connection connection) throws SQLException {
        Map<Integer, String> applied = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, name FROM schema_version")) {
            while (rows.next()) applied.put(rows.getInt(1), rows.getString(2));
        }
        return applied;
    }

    private static void check(Map<Integer, String> applied, String storeName) {
        for (Map.Entry<Integer, String> entry : applied.entrySet()) {
            if (entry.getKey() > latestVersion()) {
                throw new EventStoreException(storeName + " has schema version " + entry.getKey() + " (" + entry.getValue()
                        + "), newer than this Factum knows (" + latestVersion() + "): open it with a newer release", null);
            }
            String expected = FILES.stream().filter(f -> version(f) == entry.getKey()).findFirst().orElse(null);
            if (!entry.getValue().equals(expected)) {
                throw new EventStoreException(storeName + " records schema version " + entry.getKey() + " as '"
                        + entry.getValue() + "' but this Factum's is '" + expected + "': the file was made by another tool", null);
            }
        }
    }

    static int version(String file) {
        Matcher matcher = NAME.matcher(file);
        if (!matcher.matches()) throw new IllegalStateException("migration file name '" + file + "' is not V<n>__<object>.sql");
        return Integer.parseInt(matcher.group(1));
    }

    private static String read(String file) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) throw new IllegalStateException("migration " + DIRECTORY + file + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration " + file, e);
        }
    }
}
