// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BindingTest {

    private static boolean matches(String pattern, String routingKey) {
        return Binding.of(pattern).matches(routingKey);
    }

    @Nested
    class matches {
        @Test
        void a_literal_pattern_matches_only_the_same_key() {
            assertThat(matches("Order.OrderSubmitted", "Order.OrderSubmitted")).isTrue();
            assertThat(matches("Order.OrderSubmitted", "Order.OrderShipped")).isFalse();
            assertThat(matches("Order.OrderSubmitted", "Payment.OrderSubmitted")).isFalse();
        }

        @Test
        void star_stands_for_exactly_one_word() {
            assertThat(matches("Order.*", "Order.OrderSubmitted")).isTrue();
            assertThat(matches("*.OrderSubmitted", "Order.OrderSubmitted")).isTrue();
            assertThat(matches("*.*", "Payment.PaymentReceived")).isTrue();
            assertThat(matches("Order.*", "Order")).as("no word for the star").isFalse();
            assertThat(matches("Order.*", "Order.v2.OrderSubmitted")).as("two words for the star").isFalse();
            assertThat(matches("Order.*", "Payment.PaymentReceived")).isFalse();
        }

        @Test
        void hash_stands_for_zero_or_more_words() {
            assertThat(matches("#", "Order.OrderSubmitted")).isTrue();
            assertThat(matches("#", "Shop.Order.OrderSubmitted")).isTrue();
            assertThat(matches("Order.#", "Order")).as("zero words").isTrue();
            assertThat(matches("Order.#", "Order.OrderSubmitted")).as("one word").isTrue();
            assertThat(matches("Order.#", "Order.v2.OrderSubmitted")).as("two words").isTrue();
            assertThat(matches("Order.#", "Payment.PaymentReceived")).isFalse();
            assertThat(matches("#.OrderSubmitted", "Shop.Order.OrderSubmitted")).isTrue();
            assertThat(matches("#.OrderSubmitted", "Order.OrderShipped")).isFalse();
            assertThat(matches("Shop.#.Submitted", "Shop.Submitted")).isTrue();
            assertThat(matches("Shop.#.Submitted", "Shop.Order.Line.Submitted")).isTrue();
        }

        @Test
        void a_word_is_compared_whole_and_case_sensitively() {
            assertThat(matches("Order.*", "Orders.OrderSubmitted")).isFalse();
            assertThat(matches("order.*", "Order.OrderSubmitted")).isFalse();
        }

        @Test
        void a_category_with_dots_spans_several_words() {
            assertThat(matches("Shop.Order.*", "Shop.Order.OrderSubmitted")).isTrue();
            assertThat(matches("Shop.*", "Shop.Order.OrderSubmitted")).isFalse();
        }

        @Test
        void type_names_with_colon_or_dollar_can_be_bound_literally() {
            assertThat(matches("Order.Order:Submitted", "Order.Order:Submitted")).isTrue();
            assertThat(matches("Order.Order$Submitted", "Order.Order$Submitted")).isTrue();
        }

        @Test
        void the_category_factory_binds_every_type_of_one_category() {
            Binding orders = Binding.category("Order");

            assertThat(orders.pattern()).isEqualTo("Order.*");
            assertThat(orders.matches("Order.OrderSubmitted")).isTrue();
            assertThat(orders.matches("Payment.PaymentReceived")).isFalse();
        }
    }

    @Nested
    class construction {
        @ParameterizedTest
        @ValueSource(strings = {"", " ", ".", "Order.", ".Order", "Order..OrderSubmitted", "Order.Order*", "Or#der.*",
                "Order OrderSubmitted", "Order/OrderSubmitted", "Order.*?", "Ordér.*"})
        void a_malformed_pattern_is_refused_naming_the_pattern_and_the_syntax(String pattern) {
            assertThatThrownBy(() -> Binding.of(pattern))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("binding '" + pattern + "' is not a topic pattern")
                    .hasMessageContaining("* one word, # any");
        }

        @Test
        void a_missing_pattern_is_refused() {
            assertThatThrownBy(() -> Binding.of(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("binding 'null' is not a topic pattern");
        }

        @Test
        void prints_as_its_pattern() {
            assertThat(Binding.of("Order.*")).hasToString("Order.*");
        }
    }

    @Nested
    class stream_category {
        @Test
        void is_the_first_word_of_a_two_word_pattern_that_starts_with_a_name() {
            assertThat(Binding.of("Order.*").streamCategory()).contains("Order");
            assertThat(Binding.of("Order.OrderSubmitted").streamCategory()).contains("Order");
        }

        @Test
        void is_empty_when_the_pattern_cannot_say_where_the_category_ends() {
            assertThat(Binding.of("*.OrderSubmitted").streamCategory()).isEmpty();
            assertThat(Binding.of("#").streamCategory()).isEmpty();
            assertThat(Binding.of("Order.#").streamCategory()).as("Order.# also matches Order.v2.X").isEmpty();
            assertThat(Binding.of("Shop.Order.*").streamCategory()).as("category Shop.Order or type Order.x")
                    .isEmpty();
        }

        @Test
        void is_empty_for_a_first_word_that_no_stream_category_can_be() {
            assertThat(Binding.of("my-app.*").streamCategory()).isEqualTo(Optional.empty());
            assertThat(Binding.of("1st.*").streamCategory()).isEmpty();
        }
    }
}
