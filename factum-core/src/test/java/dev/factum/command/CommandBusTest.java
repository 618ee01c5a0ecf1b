// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandBusTest {

    sealed interface CartCommand extends Command<String> permits AddCartItem, ClearCart {
    }

    record AddCartItem(String cartId, String sku) implements CartCommand {
    }

    record ClearCart(String cartId) implements CartCommand {
    }

    record OpenAccount(String accountId) implements Command<Long> {
    }

    record OpenAccountWithCart(String accountId, String cartId) implements Command<Long> {
    }

    record Unhandled() implements Command<String> {
    }

    private final InMemoryEventStore store = new InMemoryEventStore();

    @AfterEach
    void close() {
        store.close();
    }

    private long open(OpenAccount command, CommandContext context) {
        NewEvent opened = new NewEvent("AccountOpened", "{\"accountId\":\"" + command.accountId() + "\"}",
                context.eventMetadata());
        return store.append(StreamId.of("Account", command.accountId()), ExpectedVersion.noStream(), List.of(opened))
                .lastVersion();
    }

    private List<RecordedEvent> account(String id) {
        return store.readStream(StreamId.of("Account", id), ReadStreamOptions.forward());
    }

    @Nested
    class Routing {

        @Test
        void a_command_reaches_the_handler_of_its_class_and_its_result_comes_back_typed() {
            CommandBus bus = CommandBus.builder().handler(OpenAccount.class, CommandBusTest.this::open).build();

            Long version = bus.send(new OpenAccount("a-1"));

            assertThat(version).isEqualTo(1L);
            assertThat(account("a-1")).extracting(RecordedEvent::type).containsExactly("AccountOpened");
        }

        @Test
        void one_handler_may_take_every_record_of_a_sealed_interface() {
            CommandBus bus = CommandBus.builder()
                    .handler(CartCommand.class, (command, context) -> switch (command) {
                        case AddCartItem add -> "added " + add.sku();
                        case ClearCart clear -> "cleared " + clear.cartId();
                    })
                    .build();

            assertThat(bus.send(new AddCartItem("c-1", "SKU-1"))).isEqualTo("added SKU-1");
            assertThat(bus.send(new ClearCart("c-1"))).isEqualTo("cleared c-1");
        }

        @Test
        void the_handler_of_the_exact_class_wins_over_that_of_its_interface() {
            CommandBus bus = CommandBus.builder()
                    .handler(CartCommand.class, (command, context) -> "interface")
                    .handler(ClearCart.class, (command, context) -> "exact")
                    .build();

            assertThat(bus.send(new ClearCart("c-1"))).isEqualTo("exact");
            assertThat(bus.send(new AddCartItem("c-1", "SKU-1"))).isEqualTo("interface");
        }

        @Test
        void a_command_without_a_handler_is_refused_naming_its_type() {
            CommandBus bus = CommandBus.builder().handler(OpenAccount.class, CommandBusTest.this::open).build();

            assertThatThrownBy(() -> bus.send(new Unhandled()))
                    .isInstanceOf(NoHandlerException.class)
                    .hasMessageContaining("Unhandled")
                    .extracting(e -> ((NoHandlerException) e).messageType()).isEqualTo(Unhandled.class);
        }

        @Test
        void a_second_handler_for_the_same_class_is_refused_at_registration() {
            CommandBus.Builder builder = CommandBus.builder().handler(OpenAccount.class, CommandBusTest.this::open);

            assertThatThrownBy(() -> builder.handler(OpenAccount.class, (command, context) -> 0L))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("OpenAccount");
        }

        @Test
        void a_handler_that_returns_null_is_an_error() {
            CommandBus bus = CommandBus.builder().handler(ClearCart.class, (command, context) -> null).build();

            assertThatThrownBy(() -> bus.send(new ClearCart("c-1")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("returned null");
        }

        @Test
        void the_handlers_exception_reaches_the_sender_unchanged() {
            IllegalArgumentException broken = new IllegalArgumentException("cart is closed");
            CommandBus bus = CommandBus.builder().handler(ClearCart.class, (command, context) -> {
                throw broken;
            }).build();

            assertThatThrownBy(() -> bus.send(new ClearCart("c-1"))).isSameAs(broken);
        }

        @Test
        void interceptors_run_in_the_order_they_were_added_the_first_outermost() {
            List<String> calls = new CopyOnWriteArrayList<>();
            CommandBus bus = CommandBus.builder()
                    .handler(ClearCart.class, (command, context) -> {
                        calls.add("handler");
                        return "done";
                    })
                    .interceptor((command, context, chain) -> {
                        calls.add("first in");
                        Object result = chain.proceed();
                        calls.add("first out");
                        return result;
                    })
                    .interceptor((command, context, chain) -> {
                        calls.add("second in");
                        Object result = chain.proceed();
                        calls.add("second out");
                        return result;
                    })
                    .build();

            bus.send(new ClearCart("c-1"));

            assertThat(calls).containsExactly("first in", "second in", "handler", "second out", "first out");
        }
    }

    @Nested
    class Metadata_flow {

        @Test
        void events_of_a_root_command_are_correlated_with_and_caused_by_the_command_and_carry_its_user() {
            CommandBus bus = CommandBus.builder().handler(OpenAccount.class, CommandBusTest.this::open).build();
            CommandContext context = CommandContext.create().withUserId("u-7");

            bus.send(new OpenAccount("a-1"), context);

            dev.factum.event.Metadata event = account("a-1").getFirst().metadata();
            assertThat(event.correlationId()).isEqualTo(context.commandId().toString());
            assertThat(event.causationId()).isEqualTo(context.commandId().toString());
            assertThat(event.userId()).contains("u-7");
            assertThat(event.eventId()).isNotEqualTo(context.commandId());
        }

        @Test
        void events_keep_the_correlation_id_the_command_came_with() {
            CommandBus bus = CommandBus.builder().handler(OpenAccount.class, CommandBusTest.this::open).build();
            CommandContext context = CommandContext.create().withCorrelationId("checkout-42");

            bus.send(new OpenAccount("a-1"), context);

            dev.factum.event.Metadata event = account("a-1").getFirst().metadata();
            assertThat(event.correlationId()).isEqualTo("checkout-42");
            assertThat(event.causationId()).isEqualTo(context.commandId().toString());
        }

        @Test
        void a_command_sent_while_handling_carries_the_correlation_and_user_on_and_is_caused_by_the_sender() {
            List<CommandContext> seen = new CopyOnWriteArrayList<>();
            CommandBus[] bus = new CommandBus[1];
            bus[0] = CommandBus.builder()
                    .handler(OpenAccount.class, (command, context) -> {
                        seen.add(context);
                        return open(command, context);
                    })
                    .handler(OpenAccountWithCart.class, (command, context) -> {
                        seen.add(context);
                        return bus[0].send(new OpenAccount(command.accountId()));
                    })
                    .build();
            CommandContext outer = CommandContext.create().withUserId("u-7");

            bus[0].send(new OpenAccountWithCart("a-1", "c-1"), outer);

            CommandContext inner = seen.get(1);
            assertThat(seen.getFirst()).isEqualTo(outer);
            assertThat(inner.commandId()).isNotEqualTo(outer.commandId());
            assertThat(inner.correlationId()).isEqualTo(outer.correlationId());
            assertThat(inner.causationId()).isEqualTo(outer.commandId().toString());
            assertThat(inner.userId()).contains("u-7");
            dev.factum.event.Metadata event = account("a-1").getFirst().metadata();
            assertThat(event.correlationId()).isEqualTo(outer.correlationId());
            assertThat(event.causationId()).isEqualTo(inner.commandId().toString());
            assertThat(event.userId()).contains("u-7");
        }

        @Test
        void the_running_commands_context_is_current_on_its_thread_and_is_cleared_afterwards() {
            List<Optional<CommandContext>> seen = new CopyOnWriteArrayList<>();
            CommandBus bus = CommandBus.builder().handler(ClearCart.class, (command, context) -> {
                seen.add(CommandContext.current());
                return "done";
            }).build();
            CommandContext context = CommandContext.create();

            bus.send(new ClearCart("c-1"), context);

            assertThat(seen).containsExactly(Optional.of(context));
            assertThat(CommandContext.current()).isEmpty();
        }

        @Test
        void the_outer_context_is_current_again_after_a_nested_command_returns_and_after_it_fails() {
            List<Optional<CommandContext>> seen = new CopyOnWriteArrayList<>();
            CommandBus[] bus = new CommandBus[1];
            bus[0] = CommandBus.builder()
                    .handler(ClearCart.class, (command, context) -> {
                        throw new IllegalStateException("refused");
                    })
                    .handler(AddCartItem.class, (command, context) -> {
                        assertThatThrownBy(() -> bus[0].send(new ClearCart("c-1")));
                        seen.add(CommandContext.current());
                        return "added";
                    })
                    .build();
            CommandContext outer = CommandContext.create();

            bus[0].send(new AddCartItem("c-1", "SKU-1"), outer);

            assertThat(seen).containsExactly(Optional.of(outer));
            assertThat(CommandContext.current()).isEmpty();
        }

        @Test
        void a_command_sent_outside_any_handler_starts_a_conversation_of_its_own() {
            List<CommandContext> seen = new CopyOnWriteArrayList<>();
            CommandBus bus = CommandBus.builder().handler(ClearCart.class, (command, context) -> {
                seen.add(context);
                return "done";
            }).build();

            bus.send(new ClearCart("c-1"));

            CommandContext root = seen.getFirst();
            assertThat(root.correlationId()).isEqualTo(root.commandId().toString());
            assertThat(root.causationId()).isEqualTo(root.commandId().toString());
            assertThat(root.userId()).isEmpty();
        }
    }

    @Nested
    class Command_context {

        @Test
        void a_context_with_a_given_id_is_a_root_of_that_id() {
            UUID id = UUID.randomUUID();

            CommandContext context = CommandContext.withId(id);

            assertThat(context.commandId()).isEqualTo(id);
            assertThat(context.correlationId()).isEqualTo(id.toString());
            assertThat(context.causationId()).isEqualTo(id.toString());
        }

        @Test
        void a_command_caused_by_an_event_keeps_its_correlation_and_user_and_is_caused_by_it() {
            dev.factum.event.Metadata event = dev.factum.event.Metadata.create()
                    .withCorrelationId("checkout-42").withUserId("u-7");

            CommandContext context = CommandContext.causedBy(event);

            assertThat(context.correlationId()).isEqualTo("checkout-42");
            assertThat(context.causationId()).isEqualTo(event.eventId().toString());
            assertThat(context.userId()).contains("u-7");
            assertThat(context.commandId()).isNotEqualTo(event.eventId());
        }

        @Test
        void every_event_metadata_gets_a_fresh_event_id() {
            CommandContext context = CommandContext.create();

            assertThat(context.eventMetadata().eventId()).isNotEqualTo(context.eventMetadata().eventId());
        }

        @Test
        void blank_ids_are_refused() {
            CommandContext context = CommandContext.create();

            assertThatThrownBy(() -> context.withCorrelationId(" ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> context.withCausationId("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> context.withUserId(" ")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
