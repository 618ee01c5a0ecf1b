// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.view;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ListOrdersTest {
    @Test
    void accepts_page_0_and_sizes_from_1_to_100() {
        assertThat(ListOrders.all(0, 1).size()).isEqualTo(1);
        assertThat(ListOrders.all(7, 100).page()).isEqualTo(7);
    }

    @Test
    void refuses_a_negative_page() {
        assertThatThrownBy(() -> ListOrders.all(-1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("page must be >= 0, was -1");
    }

    @Test
    void refuses_a_size_below_1_or_above_100() {
        assertThatThrownBy(() -> ListOrders.all(0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("size must be between 1 and 100, was 0");
        assertThatThrownBy(() -> ListOrders.all(0, 101))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("size must be between 1 and 100, was 101");
    }
}
