// SPDX-License-Identifier: Apache-2.0
package dev.factum.query;

import dev.factum.command.NoHandlerException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class QueryBusTest {

    record AccountView(String id, long balanceCents) {
    }

    record AccountById(String id) implements Query<Optional<AccountView>> {
    }

    record AccountsOfOwner(String owner) implements Query<List<AccountView>> {
    }

    record CartCount() implements Query<Long> {
    }

    private final Map<String, AccountView> readModel = Map.of(
            "a-1", new AccountView("a-1", 100),
            "a-2", new AccountView("a-2", 250));

    private final QueryBus bus = QueryBus.builder()
            .handler(AccountById.class, query -> Optional.ofNullable(readModel.get(query.id())))
            .handler(AccountsOfOwner.class, query -> readModel.values().stream()
                    .sorted(java.util.Comparator.comparing(AccountView::id)).toList())
            .build();

    @Nested
    class Ask {

        @Test
        void a_query_reaches_the_handler_of_its_class_and_its_answer_comes_back_typed() {
            Optional<AccountView> found = bus.ask(new AccountById("a-1"));
            List<AccountView> all = bus.ask(new AccountsOfOwner("u-7"));

            assertThat(found).contains(new AccountView("a-1", 100));
            assertThat(all).extracting(AccountView::id).containsExactly("a-1", "a-2");
        }

        @Test
        void an_absent_thing_is_an_empty_optional() {
            assertThat(bus.ask(new AccountById("a-9"))).isEmpty();
        }

        @Test
        void a_query_without_a_handler_is_refused_naming_its_type() {
            assertThatThrownBy(() -> bus.ask(new CartCount()))
                    .isInstanceOf(NoHandlerException.class)
                    .hasMessageContaining("CartCount");
        }

        @Test
        void a_handler_that_answers_null_is_an_error() {
            QueryBus broken = QueryBus.builder().handler(CartCount.class, query -> null).build();

            assertThatThrownBy(() -> broken.ask(new CartCount()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("returned null");
        }
    }

    @Nested
    class Registration {

        @Test
        void a_second_handler_for_the_same_class_is_refused() {
            QueryBus.Builder builder = QueryBus.builder().handler(CartCount.class, query -> 1L);

            assertThatThrownBy(() -> builder.handler(CartCount.class, query -> 2L))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CartCount");
        }

        @Test
        void the_bus_lists_the_query_types_it_answers() {
            assertThat(bus.queryTypes()).containsExactlyInAnyOrder(AccountById.class, AccountsOfOwner.class);
        }
    }
}
