// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

import dev.factum.event.RecordedEvent;
import dev.factum.query.Query;
import dev.factum.query.QueryHandler;
import dev.factum.subscription.EventBatch;
import dev.factum.subscription.Projection;
import dev.factum.subscription.ProjectionContext;
import dev.factum.subscription.Projections;
import dev.factum.subscription.StoreTransaction;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * W3's read model, local to the benchmarks: one row per placed order in {@code bench_orders_g<generation>}, inserted
 * through the checkpoint's transaction (one batched {@code INSERT} per projection batch), so rows and checkpoint commit
 * together; and {@link ById}, the query that reads one row of the active generation. Portable SQL, one DDL for SQLite
 * and PostgreSQL. Each order is placed once, so a row is only ever inserted: a second insert of the same order would
 * fail the projection on the primary key, which is a check of exactly-once delivery for free.
 */
final class OrderRows implements Projection {
    static final String NAME = "bench-orders";

    /** The read model's row of one order, if the projection has written it. */
    record ById(String orderId) implements Query<Optional<Row>> {
    }

    /** A row: the order, a few of its fields, and the position of the event that wrote it. */
    record Row(String orderId, String customerId, int quantity, long position) {
    }

    private final Optional<String> schema;

    /** @param schema the PostgreSQL schema of the tables; empty on SQLite */
    OrderRows(Optional<String> schema) {
        this.schema = schema;
    }

    String table(int generation) {
        return schema.map(s -> s + ".").orElse("") + "bench_orders_g" + generation;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> category() {
        return Optional.of(BenchOrder.CATEGORY);
    }

    @Override
    public void apply(EventBatch batch, ProjectionContext context) throws SQLException {
        Connection c = connection(batch.transaction());
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table(context.generation())
                + " (order_id, customer_id, sku, quantity, amount, position) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (RecordedEvent e : batch.events()) {
                OrderPlaced order = AppendPlan.CODEC.decode(e, OrderPlaced.class);
                insert.setString(1, order.orderId());
                insert.setString(2, order.customerId());
                insert.setString(3, order.sku());
                insert.setInt(4, order.quantity());
                insert.setString(5, order.amount().toPlainString());
                insert.setLong(6, e.position().value());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public void createGeneration(int generation, StoreTransaction transaction) throws SQLException {
        try (Statement s = connection(transaction).createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table(generation) + " (order_id TEXT PRIMARY KEY,"
                    + " customer_id TEXT NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL, amount TEXT NOT NULL,"
                    + " position BIGINT NOT NULL)");
        }
    }

    @Override
    public void dropGeneration(int generation, StoreTransaction transaction) throws SQLException {
        try (Statement s = connection(transaction).createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table(generation));
        }
    }

    /** Answers {@link ById} with one {@code SELECT} on a connection of {@code connections}. */
    QueryHandler<ById, Optional<Row>> byId(DataSource connections, Projections projections) {
        return query -> {
            String sql = "SELECT order_id, customer_id, quantity, position FROM "
                    + table(projections.activeGeneration(NAME)) + " WHERE order_id = ?";
            try (Connection c = connections.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
                select.setString(1, query.orderId());
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) return Optional.empty();
                    return Optional.of(new Row(row.getString(1), row.getString(2), row.getInt(3), row.getLong(4)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("query of order " + query.orderId() + " failed: " + e.getMessage(), e);
            }
        };
    }

    private static Connection connection(StoreTransaction transaction) {
        return transaction.connection().orElseThrow(() -> new IllegalStateException(
                "the W3 read model is SQL: run it on a SQLite or PostgreSQL store"));
    }
}
