// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import dev.factum.event.RecordedEvent;
import dev.factum.shop.order.domain.Orders;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.subscription.EventBatch;
import dev.factum.subscription.ProjectionContext;
import dev.factum.subscription.SideEffects;
import dev.factum.subscription.StoreTransaction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * For tests: every row of a generation of the order list, and the rows of an order list built from scratch — the
 * real {@link OrderListProjection} applied to every Order event from position 0 into a scratch generation of the same
 * database, inside one transaction that is rolled back, so nothing is left behind and no checkpoint is involved.
 * Rows are compared column by column as text ({@link OrderListProjection#COLUMNS}), ordered by order id.
 */
public final class OrderListTables {
    /** The generation the scratch build uses; far above any a test reaches by rebuilding. */
    private static final int SCRATCH_GENERATION = 9_999;

    private OrderListTables() {
    }

    /** Every row of {@code generation}'s table in {@code database}, each as its columns' text. */
    public static List<List<String>> rows(ViewDatabase database, int generation) throws SQLException {
        try (Connection c = database.connections().open()) {
            return rows(c, new OrderListProjection(database).table(generation));
        }
    }

    /** The rows an order list built from position 0 of {@code store} has, in {@code database} (which is left as is). */
    public static List<List<String>> builtFromScratch(EventStore store, ViewDatabase database) throws Exception {
        OrderListProjection projection = new OrderListProjection(database);
        try (Connection c = database.connections().open()) {
            c.setAutoCommit(false);
            try {
                StoreTransaction transaction = () -> Optional.of(c);
                projection.createGeneration(SCRATCH_GENERATION, transaction);
                // as a first run from position 0 (not a rebuild), with side effects (the list has none) muted
                ProjectionContext context = new ProjectionContext(OrderListProjection.NAME, SCRATCH_GENERATION, false,
                        SideEffects.muted());
                Position after = Position.BEGINNING;
                while (true) {
                    List<RecordedEvent> events = store.readAll(ReadAllOptions.after(after).category(Orders.CATEGORY));
                    if (events.isEmpty()) break;
                    EventBatch batch = new EventBatch("order-list-from-scratch", events, transaction);
                    projection.apply(batch, context);
                    after = batch.lastPosition();
                }
                return rows(c, projection.table(SCRATCH_GENERATION));
            } finally {
                c.rollback();
            }
        }
    }

    private static List<List<String>> rows(Connection c, String table) throws SQLException {
        String[] columns = OrderListProjection.COLUMNS.split(",\\s*");
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT " + OrderListProjection.COLUMNS + " FROM " + table
                + " ORDER BY order_id");
             ResultSet r = q.executeQuery()) {
            while (r.next()) {
                List<String> row = new ArrayList<>(columns.length);
                for (String column : columns) row.add(column + "=" + r.getString(column));
                rows.add(row);
            }
        }
        return rows;
    }
}
