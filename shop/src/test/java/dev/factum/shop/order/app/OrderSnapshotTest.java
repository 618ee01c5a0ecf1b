// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.app;

import dev.factum.aggregate.InMemorySnapshotStore;
import dev.factum.aggregate.RepositoryOptions;
import dev.factum.aggregate.Snapshot;
import dev.factum.command.CommandContext;
import dev.factum.event.codec.EventCodec;
import dev.factum.shop.order.domain.OrderCommand.AddItem;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderEvent.OrderSubmitted;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.order.domain.OrderResult;
import dev.factum.shop.order.domain.OrderState;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.shop.order.domain.Orders;
import dev.factum.store.InMemoryEventStore;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The order state is snapshot-friendly: saved as JSON and read back equal, with exact money. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderSnapshotTest {

    @Test
    void an_order_snapshot_restores_the_same_state_and_loads_start_from_it() throws Exception {
        var snapshots = new InMemorySnapshotStore();
        try (var store = new InMemoryEventStore()) {
            var orders = new OrderService(store, RepositoryOptions.defaults().snapshots(snapshots, 2));
            orders.handle(new CreateOrder("o-1", "c-1", "EUR", List.of(new OrderLine("SKU-1", 2, new BigDecimal("19.990")))),
                    CommandContext.create());
            orders.handle(new AddItem("o-1", "SKU-2", 1, new BigDecimal("0.0001")), CommandContext.create());
            OrderResult submitted = orders.handle(new SubmitOrder("o-1"), CommandContext.create());

            Optional<Snapshot> snapshot = snapshots.load(Orders.AGGREGATE.streamId("o-1"));
            assertThat(snapshot).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(2));
            OrderState restored = EventCodec.defaultMapper().readValue(snapshot.get().state(), OrderState.class);
            assertThat(Orders.AGGREGATE.evolve(restored, new OrderSubmitted(
                    submitted.state().total()))).isEqualTo(submitted.state());
            assertThat(new OrderService(store, RepositoryOptions.defaults().snapshots(snapshots, 2)).find("o-1"))
                    .hasValueSatisfying(loaded -> assertThat(loaded.state()).isEqualTo(submitted.state()));
        }
    }

    @Test
    void a_rejected_orders_reason_is_kept_in_its_snapshot_and_an_older_snapshot_reads_without_one() throws Exception {
        var mapper = EventCodec.defaultMapper();
        OrderState rejected = new OrderState(true, "c-1", "EUR", OrderStatus.REJECTED,
                List.of(new OrderLine("SKU-1", 2, new BigDecimal("19.99"))), "OUT_OF_STOCK");
        assertThat(mapper.readValue(mapper.writeValueAsString(rejected), OrderState.class)).isEqualTo(rejected);

        String before = "{\"exists\":true,\"customerId\":\"c-1\",\"currency\":\"EUR\",\"status\":\"SUBMITTED\","
                + "\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"unitPrice\":19.99}]}"; // written before the field
        OrderState read = mapper.readValue(before, OrderState.class);
        assertThat(read.rejectionReason()).isEmpty();
        assertThat(read.status()).isEqualTo(OrderStatus.SUBMITTED);
    }
}
