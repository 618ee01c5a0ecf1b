// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.query.QueryBus;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.shop.order.domain.Orders;
import dev.factum.store.EventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.subscription.Projections;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers {@link ListOrders} and {@link GetOrder} from the active generation of {@link OrderListProjection}'s table
 * ({@link Projections#activeGeneration}). The detail's state is the list row; its history is read from the event store
 * ({@code readStream}) and cut at the row's version, so it shows exactly the events the state reflects. A page and its
 * total are read by one statement, so they come from one snapshot of the table even while the projection writes. A
 * query that meets a table dropped by a rebuild's switch is run again on the new active generation. SQL failures
 * surface as {@link IllegalStateException}.
 *
 * @since 0.1
 */
public final class OrderQueries {
    private final EventStore store;
    private final Projections projections;
    private final OrderListProjection projection;
    private final ViewDatabase database;
    private final EventCodec codec = Orders.AGGREGATE.codec();

    /** Queries over {@code projection}'s tables, which {@code projections} runs over {@code store}. */
    public OrderQueries(EventStore store, Projections projections, OrderListProjection projection, ViewDatabase database) {
        this.store = Objects.requireNonNull(store, "store");
        this.projections = Objects.requireNonNull(projections, "projections");
        this.projection = Objects.requireNonNull(projection, "projection");
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Registers the handlers of {@link ListOrders} and {@link GetOrder}. */
    public QueryBus.Builder register(QueryBus.Builder bus) {
        return bus.handler(ListOrders.class, this::list).handler(GetOrder.class, this::get);
    }

    /** The page of orders {@code query} asks for. */
    public OrderPage list(ListOrders query) {
        return onActiveTable(table -> {
            StringBuilder where = new StringBuilder(" WHERE 1 = 1");
            List<String> args = new ArrayList<>();
            query.status().ifPresent(s -> {
                where.append(" AND status = ?");
                args.add(s.name());
            });
            query.customerId().ifPresent(c -> {
                where.append(" AND customer_id = ?");
                args.add(c);
            });
            // One statement, so one snapshot: the total always counts the rows the page was cut from, even while the
            // projection writes. The count's row is always there (an empty page past the end still has its total).
            String sql = "SELECT counted.matching_orders, shown.* FROM (SELECT COUNT(*) AS matching_orders FROM "
                    + table + where + ") counted LEFT JOIN (SELECT " + OrderListProjection.COLUMNS + " FROM " + table
                    + where + " ORDER BY created_position DESC LIMIT ? OFFSET ?) shown ON 1 = 1"
                    + " ORDER BY shown.created_position DESC";
            try (Connection c = database.connections().open(); PreparedStatement page = c.prepareStatement(sql)) {
                int i = 0;
                for (String arg : args) page.setString(++i, arg);
                for (String arg : args) page.setString(++i, arg);
                page.setInt(++i, query.size());
                page.setLong(++i, (long) query.page() * query.size());
                long total = 0;
                List<OrderSummary> items = new ArrayList<>();
                try (ResultSet r = page.executeQuery()) {
                    while (r.next()) {
                        total = r.getLong("matching_orders");
                        if (r.getString("order_id") != null) items.add(summary(r));
                    }
                }
                return new OrderPage(items, total, query.page(), query.size());
            }
        });
    }

    /** The detail of the order {@code query} names, if the read model shows it. */
    public Optional<OrderDetail> get(GetOrder query) {
        Optional<OrderDetail> row = onActiveTable(table -> {
            try (Connection c = database.connections().open();
                 PreparedStatement q = c.prepareStatement("SELECT " + OrderListProjection.COLUMNS + " FROM " + table
                         + " WHERE order_id = ?")) {
                q.setString(1, query.orderId());
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) return Optional.empty();
                    return Optional.of(new OrderDetail(summary(r), OrderListProjection.lines(r.getString("items")),
                            List.of()));
                }
            }
        });
        return row.map(d -> new OrderDetail(d.summary(), d.items(), history(query.orderId(), d.summary().version())));
    }

    private List<OrderHistoryEntry> history(String orderId, long upToVersion) {
        List<OrderHistoryEntry> entries = new ArrayList<>();
        for (RecordedEvent stored : store.readStream(Orders.AGGREGATE.streamId(orderId), ReadStreamOptions.forward())) {
            if (stored.version() > upToVersion) break;
            RecordedEvent e = codec.upcast(stored);
            entries.add(new OrderHistoryEntry(e.eventId(), e.type(), e.version(), e.position(), e.recordedAt(),
                    e.metadata().correlationId(), e.metadata().causationId(), e.metadata().userId(), e.data()));
        }
        return entries;
    }

    private static OrderSummary summary(ResultSet r) throws SQLException {
        return new OrderSummary(r.getString("order_id"), r.getString("customer_id"), r.getString("currency"),
                OrderStatus.valueOf(r.getString("status")), new BigDecimal(r.getString("total")),
                r.getInt("item_count"), r.getLong("version"), Instant.parse(r.getString("last_updated")));
    }

    private <T> T onActiveTable(TableQuery<T> query) {
        int generation = projections.activeGeneration(OrderListProjection.NAME);
        try {
            return query.run(projection.table(generation));
        } catch (SQLException first) {
            int now = projections.activeGeneration(OrderListProjection.NAME);
            if (now == generation) throw new IllegalStateException("order read model query failed: " + first.getMessage(), first);
            try {
                return query.run(projection.table(now));
            } catch (SQLException second) {
                throw new IllegalStateException("order read model query failed: " + second.getMessage(), second);
            }
        }
    }

    @FunctionalInterface
    private interface TableQuery<T> {
        T run(String table) throws SQLException;
    }
}
