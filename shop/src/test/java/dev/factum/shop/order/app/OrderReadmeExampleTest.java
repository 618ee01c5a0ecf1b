// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.app;

import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.command.CommandInterceptors;
import dev.factum.command.InMemoryCommandResultStore;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.order.domain.OrderResult;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.store.EventStore;
import dev.factum.store.InMemoryEventStore;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the "Handling commands" example of shop/README.md true: the same code, line for line. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderReadmeExampleTest {

    @Test
    void the_readme_example_runs_as_written() {
        try (EventStore eventStore = new InMemoryEventStore()) {
            OrderService orders = new OrderService(eventStore);                 // or (eventStore, RepositoryOptions)
            CommandBus bus = orders.register(CommandBus.builder())
                    .interceptor(CommandInterceptors.idempotency(new InMemoryCommandResultStore()))
                    .build();

            OrderResult created = bus.send(new CreateOrder("o-1", "c-1", "EUR",
                    List.of(new OrderLine("SKU-1", 2, new BigDecimal("19.99")))), CommandContext.create().withUserId("u-7"));
            assertThat(created.version()).isEqualTo(1);
            assertThat(created.position()).isEqualTo(eventStore.headPosition());

            OrderResult submitted = bus.send(new ExpectingVersion(new SubmitOrder("o-1"), created.version()), CommandContext.create()); // If-Match
            assertThat(submitted.state().status()).isEqualTo(OrderStatus.SUBMITTED);
            assertThat(orders.find("o-1")).hasValueSatisfying(o -> assertThat(o.version()).isEqualTo(2));
        }
    }
}
