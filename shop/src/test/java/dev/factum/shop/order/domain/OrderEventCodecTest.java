// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored shape of the order events: every event survives a round trip through the codec and a store, exactly. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderEventCodecTest {

    @Test
    void every_order_event_round_trips_with_its_simple_name_and_exact_money() {
        List<OrderEvent> events = List.of(
                new OrderEvent.OrderCreated("c-1", "EUR", List.of(new OrderLine("SKU-1", 2, new BigDecimal("19.990")))),
                new OrderEvent.OrderItemAdded("SKU-2", 1, new BigDecimal("0.0001")),
                new OrderEvent.OrderItemRemoved("SKU-2"),
                new OrderEvent.OrderSubmitted(new BigDecimal("39.98")),
                new OrderEvent.PaymentReceived("p-1", new BigDecimal("39.98")),
                new OrderEvent.OrderShipped("T-1", "DHL"),
                new OrderEvent.OrderDelivered(),
                new OrderEvent.OrderCancelled("changed my mind"));
        StreamId stream = Orders.AGGREGATE.streamId("o-1");
        List<NewEvent> encoded = new ArrayList<>();
        for (OrderEvent event : events) encoded.add(Orders.AGGREGATE.codec().encode(event, Metadata.create()));

        try (var store = new InMemoryEventStore()) {
            store.append(stream, ExpectedVersion.noStream(), encoded);
            List<RecordedEvent> stored = store.readStream(stream, ReadStreamOptions.forward());

            assertThat(stream.toString()).isEqualTo("Order-o-1");
            assertThat(stored).extracting(RecordedEvent::type).containsExactly("OrderCreated", "OrderItemAdded",
                    "OrderItemRemoved", "OrderSubmitted", "PaymentReceived", "OrderShipped", "OrderDelivered",
                    "OrderCancelled");
            assertThat(stored).extracting(e -> Orders.AGGREGATE.codec().decode(e, OrderEvent.class))
                    .containsExactlyElementsOf(events); // BigDecimal equals: the scale (19.990) survives too
        }
    }
}
