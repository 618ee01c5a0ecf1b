// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.Repository;
import dev.factum.event.Metadata;
import dev.factum.event.RecordedEvent;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bus in front of an aggregate {@link Repository}: the way an application wires its write side. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandBusWithRepositoryTest {

    sealed interface CartEvent {}
    record CartOpened(String owner) implements CartEvent {}
    record ItemAdded(String sku) implements CartEvent {}

    /** Every cart command answers the cart's version after it. */
    sealed interface CartCommand extends Command<Long> {
        String cartId();
    }
    record OpenCart(String cartId, String owner) implements CartCommand {}
    record AddItem(String cartId, String sku) implements CartCommand {}
    /** Handled outside the aggregate: opens the cart and adds its first item through the bus. */
    record StartShopping(String cartId, String owner, String sku) implements Command<Long> {}

    record Cart(boolean open, int items) {
        Cart evolve(CartEvent event) {
            return switch (event) {
                case CartOpened o -> new Cart(true, items);
                case ItemAdded a -> new Cart(open, items + 1);
            };
        }

        List<CartEvent> decide(CartCommand command) {
            return switch (command) {
                case OpenCart o -> open ? List.of() : List.of(new CartOpened(o.owner()));
                case AddItem a -> List.of(new ItemAdded(a.sku()));
            };
        }
    }

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final Repository<Cart, CartEvent, CartCommand> carts = Repository.of(
            Aggregate.builder("Cart", Cart.class, CartEvent.class, CartCommand.class)
                    .initialState(new Cart(false, 0)).evolve(Cart::evolve).decide(Cart::decide).build(),
            store);
    private final CommandBus[] bus = new CommandBus[1];

    {
        bus[0] = CommandBus.builder()
                .handler(CartCommand.class,
                        (command, context) -> carts.handle(command.cartId(), command, context.eventMetadata()).version())
                .handler(StartShopping.class, (command, context) -> {
                    bus[0].send(new OpenCart(command.cartId(), command.owner()));
                    return bus[0].send(new AddItem(command.cartId(), command.sku()));
                })
                .interceptor(CommandInterceptors.idempotency(new InMemoryCommandResultStore()))
                .build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<RecordedEvent> cart(String id) {
        return store.readStream(StreamId.of("Cart", id), ReadStreamOptions.forward());
    }

    @Test
    void the_events_an_aggregate_decides_carry_the_commands_correlation_causation_and_user() {
        CommandContext context = CommandContext.create().withCorrelationId("visit-1").withUserId("u-7");

        long version = bus[0].send(new OpenCart("c-1", "u-7"), context);

        assertThat(version).isEqualTo(1L);
        Metadata event = cart("c-1").getFirst().metadata();
        assertThat(event.correlationId()).isEqualTo("visit-1");
        assertThat(event.causationId()).isEqualTo(context.commandId().toString());
        assertThat(event.userId()).contains("u-7");
    }

    @Test
    void a_resent_aggregate_command_appends_once_and_answers_the_first_version() {
        CommandContext context = CommandContext.create();
        bus[0].send(new OpenCart("c-1", "u-7"));

        long first = bus[0].send(new AddItem("c-1", "SKU-1"), context);
        long again = bus[0].send(new AddItem("c-1", "SKU-1"), context);

        assertThat(again).isEqualTo(first).isEqualTo(2L);
        assertThat(cart("c-1")).extracting(RecordedEvent::type).containsExactly("CartOpened", "ItemAdded");
    }

    @Test
    void commands_sent_while_handling_one_put_their_events_in_its_conversation() {
        CommandContext context = CommandContext.create().withUserId("u-7");

        long version = bus[0].send(new StartShopping("c-1", "u-7", "SKU-1"), context);

        assertThat(version).isEqualTo(2L);
        List<Metadata> events = cart("c-1").stream().map(RecordedEvent::metadata).toList();
        assertThat(events).allSatisfy(event -> {
            assertThat(event.correlationId()).isEqualTo(context.correlationId());
            assertThat(event.userId()).contains("u-7");
        });
        assertThat(events).extracting(Metadata::causationId)
                .doesNotContain(context.commandId().toString())
                .doesNotHaveDuplicates();
    }
}
