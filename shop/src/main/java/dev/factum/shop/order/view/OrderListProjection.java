// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.shop.order.domain.OrderEvent;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.order.domain.OrderState;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.shop.order.domain.Orders;
import dev.factum.subscription.EventBatch;
import dev.factum.subscription.Projection;
import dev.factum.subscription.ProjectionContext;
import dev.factum.subscription.StoreTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The order list read model: one row per order in {@code order_list_g<generation>} (order id, customer, currency,
 * status, total, item count, version, last update, the lines as JSON), written through the checkpoint's transaction so
 * row and checkpoint commit together. Portable SQL only ({@code TEXT}, {@code BIGINT}, {@code INTEGER}; amounts and
 * instants as exact text), so one DDL serves SQLite and PostgreSQL. Needs a store with transactions: it refuses to run
 * without a connection. Events of a version the row already shows are skipped.
 *
 * @since 0.1
 */
public final class OrderListProjection implements Projection {
    /** The projection's name, for {@code Projections.activeGeneration} and {@code awaitCheckpoint}. */
    public static final String NAME = "order-list";
    static final String COLUMNS = "order_id, customer_id, currency, status, total, item_count, version, last_updated, "
            + "created_position, last_position, items";
    private static final ObjectMapper JSON = EventCodec.defaultMapper();
    private static final TypeReference<List<OrderLine>> LINES = new TypeReference<>() {
    };

    private final ViewDatabase database;
    private final EventCodec codec = Orders.AGGREGATE.codec();

    public OrderListProjection(ViewDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The table of a generation, qualified. */
    String table(int generation) {
        return database.table("order_list_g" + generation);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> category() {
        return Optional.of(Orders.CATEGORY);
    }

    @Override
    public void apply(EventBatch batch, ProjectionContext context) throws SQLException {
        Connection c = connection(batch.transaction());
        String table = table(context.generation());
        Map<String, Row> rows = new LinkedHashMap<>();
        for (RecordedEvent e : batch.events()) {
            String id = e.stream().id();
            Row row = rows.containsKey(id) ? rows.get(id) : load(c, table, id);
            if (row != null && e.version() <= row.version) continue;
            OrderEvent event = codec.decode(e, OrderEvent.class);
            OrderState before = row == null ? OrderState.NONE : row.state;
            long created = row == null ? e.position().value() : row.createdPosition;
            rows.put(id, new Row(id, before.evolve(event), e.version(), created, e.position().value(), e.recordedAt(),
                    row == null || row.isNew));
        }
        for (Row row : rows.values()) if (row != null) write(c, table, row);
    }

    @Override
    public void createGeneration(int generation, StoreTransaction transaction) throws SQLException {
        String base = "order_list_g" + generation;
        execute(transaction, "CREATE TABLE IF NOT EXISTS " + table(generation) + " (order_id TEXT PRIMARY KEY, "
                + "customer_id TEXT NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, total TEXT NOT NULL, "
                + "item_count INTEGER NOT NULL, version BIGINT NOT NULL, last_updated TEXT NOT NULL, "
                + "created_position BIGINT NOT NULL, last_position BIGINT NOT NULL, items TEXT NOT NULL)");
        execute(transaction, "CREATE INDEX IF NOT EXISTS " + base + "_status ON " + table(generation)
                + " (status, created_position)");
        execute(transaction, "CREATE INDEX IF NOT EXISTS " + base + "_customer ON " + table(generation)
                + " (customer_id, created_position)");
    }

    @Override
    public void dropGeneration(int generation, StoreTransaction transaction) throws SQLException {
        execute(transaction, "DROP TABLE IF EXISTS " + table(generation));
    }

    private static Connection connection(StoreTransaction transaction) {
        return transaction.connection().orElseThrow(() -> new IllegalStateException(
                "the order list read model is SQL: run it on a SQLite or PostgreSQL store"));
    }

    private static void execute(StoreTransaction transaction, String sql) throws SQLException {
        try (Statement s = connection(transaction).createStatement()) {
            s.execute(sql);
        }
    }

    private static Row load(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM " + table + " WHERE order_id = ?")) {
            q.setString(1, id);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) return null;
                OrderState state = new OrderState(true, r.getString("customer_id"), r.getString("currency"),
                        OrderStatus.valueOf(r.getString("status")), lines(r.getString("items")));
                return new Row(id, state, r.getLong("version"), r.getLong("created_position"), r.getLong("last_position"),
                        Instant.parse(r.getString("last_updated")), false);
            }
        }
    }

    private static void write(Connection c, String table, Row row) throws SQLException {
        String sql = row.isNew
                ? "INSERT INTO " + table + " (customer_id, currency, status, total, item_count, version, last_updated, "
                + "created_position, last_position, items, order_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "UPDATE " + table + " SET customer_id = ?, currency = ?, status = ?, total = ?, item_count = ?, "
                + "version = ?, last_updated = ?, created_position = ?, last_position = ?, items = ? WHERE order_id = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            OrderState state = row.state;
            s.setString(1, state.customerId());
            s.setString(2, state.currency());
            s.setString(3, state.status().name());
            s.setString(4, state.total().toPlainString());
            s.setInt(5, state.items().stream().mapToInt(OrderLine::quantity).sum());
            s.setLong(6, row.version);
            s.setString(7, row.updatedAt.toString());
            s.setLong(8, row.createdPosition);
            s.setLong(9, row.lastPosition);
            s.setString(10, json(state.items()));
            s.setString(11, row.orderId);
            s.executeUpdate();
        }
    }

    static List<OrderLine> lines(String json) {
        try {
            return JSON.readValue(json, LINES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable order lines in the read model: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(List<OrderLine> lines) {
        try {
            return JSON.writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write order lines as JSON", e);
        }
    }

    private record Row(String orderId, OrderState state, long version, long createdPosition, long lastPosition,
                       Instant updatedAt, boolean isNew) {
    }
}
