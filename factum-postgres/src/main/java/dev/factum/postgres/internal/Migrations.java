// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates and migrates a store's schema at start-up from the versioned SQL files in
 * {@code dev/factum/postgres/migrations} (one object per file, {@code ${schema}} standing for the quoted schema name).
 * All missing migrations run in one transaction under a transaction-scoped advisory lock keyed by the schema, so
 * processes starting at the same time neither race nor half-migrate; each applied file is recorded in
 * {@code schema_migrations} and never runs twice.
 */
public final class Migrations {
    /** Every migration, in the order it runs. Append new files here; never edit or reorder applied ones. */
    static final List<String> FILES = List.of(
            "V001__events_table.sql",
            "V002__events_stream_version_unique.sql",
            "V003__events_event_id_unique.sql",
            "V004__events_category_position_index.sql",
            "V005__checkpoints_table.sql",
            "V006__snapshots_table.sql",
            "V007__command_results_table.sql",
            "V008__command_results_recorded_at_index.sql",
            "V009__inbox_table.sql",
            "V010__inbox_handled_at_index.sql",
            "V011__inbox_consumer_position_index.sql",
            "V012__dead_letters_table.sql",
            "V013__dead_letters_dead_at_index.sql",
            "V014__leases_table.sql",
            "V015__dead_letters_replay_requested.sql");
    private static final String FOLDER = "/dev/factum/postgres/migrations/";

    private Migrations() {
    }

    /**
     * Brings the schema up to date on {@code connection} (left in auto-commit mode afterwards).
     *
     * @return the names of the migrations applied now (empty if the schema was current)
     */
    public static List<String> migrate(Connection connection, SchemaName schema) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            List<String> applied = migrateInTransaction(connection, schema);
            connection.commit();
            return applied;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static List<String> migrateInTransaction(Connection connection, SchemaName schema) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, "factum.migrations:" + schema.name());
            lock.execute();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema.quoted());
            statement.execute(schema.substitute(read("schema_migrations_table.sql")));
        }
        Map<Integer, String> done = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, name FROM " + schema.table("schema_migrations"))) {
            while (rows.next()) done.put(rows.getInt(1), rows.getString(2));
        }
        requireSameHistory(schema, done);
        List<String> applied = new java.util.ArrayList<>();
        for (String file : FILES) {
            int version = version(file);
            if (done.containsKey(version)) continue;
            try (Statement statement = connection.createStatement()) {
                statement.execute(schema.substitute(read(file)));
            } catch (SQLException e) {
                throw new SQLException("migration " + file + " failed in schema " + schema.name() + ": " + e.getMessage(),
                        e.getSQLState(), e);
            }
            try (PreparedStatement record = connection.prepareStatement(
                    "INSERT INTO " + schema.table("schema_migrations") + " (version, name) VALUES (?, ?)")) {
                record.setInt(1, version);
                record.setString(2, file);
                record.executeUpdate();
            }
            applied.add(file);
        }
        return applied;
    }

    /** A schema migrated by a different build (another file at the same version) is refused, not silently mixed. */
    private static void requireSameHistory(SchemaName schema, Map<Integer, String> done) throws SQLException {
        for (Map.Entry<Integer, String> applied : done.entrySet()) {
            String expected = FILES.stream().filter(f -> version(f) == applied.getKey()).findFirst().orElse(null);
            if (!applied.getValue().equals(expected)) {
                throw new SQLException("schema " + schema.name() + " was migrated by another Factum build: its migration "
                        + applied.getKey() + " is " + applied.getValue() + ", this build's is "
                        + (expected == null ? "unknown (the schema is newer than this build)" : expected)
                        + "; use a schema of this build's lineage (a pre-release schema can be dropped)", "55000");
            }
        }
    }

    static int version(String file) {
        return Integer.parseInt(file.substring(1, file.indexOf("__")));
    }

    private static String read(String file) {
        try (InputStream in = Migrations.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) throw new IllegalStateException("migration " + file + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + file, e);
        }
    }
}
