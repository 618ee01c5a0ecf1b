// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamIdTest {

    @Nested
    class Parsing {

        @Test
        void splits_at_the_first_dash_so_the_id_may_hold_dashes() {
            StreamId stream = StreamId.parse("Order-7f3c-11aa-b2");

            assertThat(stream.category()).isEqualTo("Order");
            assertThat(stream.id()).isEqualTo("7f3c-11aa-b2");
        }

        @Test
        void prints_back_to_the_same_text() {
            assertThat(StreamId.parse("Order.v2_x-42").toString()).isEqualTo("Order.v2_x-42");
            assertThat(StreamId.of("Order", "42")).hasToString("Order-42").isEqualTo(StreamId.parse("Order-42"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t"})
        void blank_text_is_refused(String text) {
            assertThatThrownBy(() -> StreamId.parse(text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("stream name is blank");
        }

        @Test
        void null_text_is_refused_as_blank() {
            assertThatThrownBy(() -> StreamId.parse(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("blank");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Order", "-42", "Order-"})
        void text_without_both_parts_is_refused_naming_it(String text) {
            assertThatThrownBy(() -> StreamId.parse(text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "'")
                    .hasMessageContaining("Category-id");
        }
    }

    @Nested
    class Constructing {

        @ParameterizedTest
        @ValueSource(strings = {"1Order", "Or-der", "Or der", "Or:der", "_Order", "Ördér"})
        void a_malformed_category_is_refused_naming_it(String category) {
            assertThatThrownBy(() -> StreamId.of(category, "1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + category + "'");
        }

        @Test
        void blank_parts_are_refused() {
            assertThatThrownBy(() -> StreamId.of(" ", "1")).hasMessage("stream category is blank");
            assertThatThrownBy(() -> StreamId.of("Order", "")).hasMessage("stream id of category 'Order' is blank");
        }

        @ParameterizedTest
        @ValueSource(strings = {"4 2", "4\t2", "4\n2", "4\u00002"})
        void an_id_with_whitespace_or_control_characters_is_refused(String id) {
            assertThatThrownBy(() -> StreamId.of("Order", id)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("whitespace or control characters");
        }

        @Test
        void the_printed_form_may_be_200_characters_and_no_more() {
            assertThat(StreamId.of("Order", "x".repeat(194)).toString()).hasSize(200);
            assertThatThrownBy(() -> StreamId.of("Order", "x".repeat(195)))
                    .hasMessageContaining("longer than 200");
        }

        @Test
        void ids_may_hold_punctuation_and_unicode() {
            assertThat(StreamId.of("Order", "a:b/c@d-ü").id()).isEqualTo("a:b/c@d-ü");
        }

        @Test
        void nulls_are_refused() {
            assertThatThrownBy(() -> StreamId.of(null, "1")).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> StreamId.of("Order", null)).isInstanceOf(NullPointerException.class);
        }
    }
}
