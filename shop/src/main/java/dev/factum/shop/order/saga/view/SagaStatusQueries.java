// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga.view;

import dev.factum.saga.SagaStatus;
import dev.factum.shop.order.view.ViewDatabase;
import dev.factum.subscription.Projections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads {@link SagaStatusProjection}'s table of the active generation ({@link Projections#activeGeneration}). A page
 * and its total are read by one statement, so they are one snapshot even while the projection writes; a query that
 * meets a table dropped by a rebuild's switch runs again on the new active generation. Eventually consistent: a saga's
 * transition shows once the projection's checkpoint reaches it. SQL failures surface as {@link IllegalStateException}.
 *
 * @since 0.1
 */
public final class SagaStatusQueries {
    /** The largest page {@link #list} answers. */
    public static final int MAX_LIMIT = 1000;

    private final Projections projections;
    private final SagaStatusProjection projection;
    private final ViewDatabase database;

    /** Queries over {@code projection}'s tables in {@code database}, which {@code projections} runs. */
    public SagaStatusQueries(Projections projections, SagaStatusProjection projection, ViewDatabase database) {
        this.projections = Objects.requireNonNull(projections, "projections");
        this.projection = Objects.requireNonNull(projection, "projection");
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The projection these queries read. */
    public SagaStatusProjection projection() {
        return projection;
    }

    /**
     * The sagas in {@code status} (all when empty), newest started first, {@code limit} of them after skipping
     * {@code offset}.
     *
     * @throws IllegalArgumentException if {@code limit} is not within 1..{@value #MAX_LIMIT} or {@code offset} is negative
     */
    public SagaPage list(Optional<SagaStatus> status, int limit, long offset) {
        Objects.requireNonNull(status, "status");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
        }
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative, was " + offset);
        return onActiveTable(table -> {
            String where = status.isPresent() ? " WHERE status = ?" : "";
            // One statement, so one snapshot: the total counts the rows the page was cut from, even while the
            // projection writes; the count's row is always there (an empty page past the end still has its total).
            String sql = "SELECT counted.matching_sagas, shown.* FROM (SELECT COUNT(*) AS matching_sagas FROM " + table
                    + where + ") counted LEFT JOIN (SELECT " + SagaStatusProjection.COLUMNS + " FROM " + table + where
                    + " ORDER BY started_position DESC LIMIT ? OFFSET ?) shown ON 1 = 1"
                    + " ORDER BY shown.started_position DESC";
            try (Connection c = database.connections().open(); PreparedStatement page = c.prepareStatement(sql)) {
                int i = 0;
                if (status.isPresent()) {
                    page.setString(++i, status.get().name());
                    page.setString(++i, status.get().name());
                }
                page.setInt(++i, limit);
                page.setLong(++i, offset);
                long total = 0;
                List<SagaSummary> items = new ArrayList<>();
                try (ResultSet r = page.executeQuery()) {
                    while (r.next()) {
                        total = r.getLong("matching_sagas");
                        if (r.getString("saga_id") != null) items.add(SagaStatusProjection.summary(projection.saga(), r));
                    }
                }
                return new SagaPage(items, total, limit, offset);
            }
        });
    }

    /** The row of saga {@code sagaId}, if the read model shows it. */
    public Optional<SagaSummary> find(String sagaId) {
        Objects.requireNonNull(sagaId, "sagaId");
        return onActiveTable(table -> {
            try (Connection c = database.connections().open();
                 PreparedStatement q = c.prepareStatement("SELECT " + SagaStatusProjection.COLUMNS + " FROM " + table
                         + " WHERE saga_id = ?")) {
                q.setString(1, sagaId);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(SagaStatusProjection.summary(projection.saga(), r)) : Optional.empty();
                }
            }
        });
    }

    private <T> T onActiveTable(TableQuery<T> query) {
        int generation = projections.activeGeneration(projection.name());
        try {
            return query.run(projection.table(generation));
        } catch (SQLException first) {
            int now = projections.activeGeneration(projection.name());
            if (now == generation) throw new IllegalStateException("saga status query failed: " + first.getMessage(), first);
            try {
                return query.run(projection.table(now));
            } catch (SQLException second) {
                throw new IllegalStateException("saga status query failed: " + second.getMessage(), second);
            }
        }
    }

    @FunctionalInterface
    private interface TableQuery<T> {
        T run(String table) throws SQLException;
    }
}
