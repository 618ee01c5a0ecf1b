// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.shop.order.domain.OrderEvent;
import dev.factum.shop.order.domain.OrderEvent.OrderCreated;
import dev.factum.shop.order.domain.OrderEvent.OrderItemRemoved;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.order.domain.Orders;
import dev.factum.store.Position;
import dev.factum.subscription.EventBatch;
import dev.factum.subscription.ProjectionContext;
import dev.factum.subscription.SideEffects;
import dev.factum.subscription.StoreTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OrderListProjection#apply} on its own, against an in-memory SQLite connection standing in for the
 * checkpoint's transaction. (factum-test's {@code ProjectionFixture} feeds batches without a connection, which a SQL
 * read model cannot use; the end-to-end behaviour is in {@link OrderViewContract}.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderListProjectionTest {
    private final OrderListProjection projection = new OrderListProjection(new ViewDatabase(Optional.empty(),
            () -> {
                throw new SQLException("queries are not used here");
            }));
    private Connection connection;
    private StoreTransaction transaction;
    private long position;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        transaction = () -> Optional.of(connection);
        projection.createGeneration(1, transaction);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private RecordedEvent recorded(String orderId, long version, OrderEvent event) {
        NewEvent e = Orders.AGGREGATE.codec().encode(event);
        return new RecordedEvent(Orders.AGGREGATE.streamId(orderId), version, Position.of(++position), e.type(), e.data(),
                e.metadata(), Instant.parse("2026-01-01T00:00:00Z").plusSeconds(position));
    }

    private void apply(RecordedEvent... events) throws Exception {
        projection.apply(new EventBatch(OrderListProjection.NAME, List.of(events), transaction),
                new ProjectionContext(OrderListProjection.NAME, 1, false, SideEffects.live()));
    }

    private List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT order_id, status, total, item_count, version, last_updated "
                     + "FROM order_list_g1 ORDER BY order_id")) {
            while (r.next()) {
                rows.add(String.join(" ", r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getString(6)));
            }
        }
        return rows;
    }

    private static OrderCreated created(OrderLine... lines) {
        return new OrderCreated("c-1", "EUR", List.of(lines));
    }

    @Test
    void keeps_one_row_per_order_with_total_units_version_and_last_update() throws Exception {
        apply(recorded("o-1", 1, created(new OrderLine("A", 2, new BigDecimal("19.99")), new OrderLine("B", 1, new BigDecimal("0.5")))),
                recorded("o-2", 1, created(new OrderLine("A", 1, new BigDecimal("1")))));
        apply(recorded("o-1", 2, new OrderItemRemoved("B")), recorded("o-1", 3, new OrderEvent.OrderSubmitted(new BigDecimal("39.98"))));

        assertThat(rows()).containsExactly("o-1 SUBMITTED 39.98 2 3 2026-01-01T00:00:04Z",
                "o-2 DRAFT 1 1 1 2026-01-01T00:00:02Z");
    }

    @Test
    void skips_an_event_whose_version_the_row_already_shows() throws Exception {
        RecordedEvent create = recorded("o-1", 1, created(new OrderLine("A", 2, new BigDecimal("1.00"))));
        apply(create);
        apply(create);

        assertThat(rows()).containsExactly("o-1 DRAFT 2.00 2 1 2026-01-01T00:00:01Z");
    }

    @Test
    void refuses_to_run_without_a_sql_transaction() {
        assertThatThrownBy(() -> projection.apply(new EventBatch(OrderListProjection.NAME,
                        List.of(recorded("o-1", 1, created())), StoreTransaction.NONE),
                new ProjectionContext(OrderListProjection.NAME, 1, false, SideEffects.live())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SQLite or PostgreSQL");
    }

    @Test
    void drops_its_generation_table() throws Exception {
        projection.dropGeneration(1, transaction);

        assertThatThrownBy(this::rows).isInstanceOf(SQLException.class).hasMessageContaining("order_list_g1");
    }
}
