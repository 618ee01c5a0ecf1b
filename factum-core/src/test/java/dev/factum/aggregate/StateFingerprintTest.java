// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StateFingerprintTest {
    enum Status { OPEN, CLOSED }
    enum StatusWithFrozen { OPEN, CLOSED, FROZEN }
    record Line(String sku, int quantity) {}
    record LineRenamed(String sku, int count) {}
    record Cart(Status status, List<Line> lines, BigDecimal total) {}
    record SameCart(Status status, List<Line> lines, BigDecimal total) {}
    record CartWithOtherLines(Status status, List<LineRenamed> lines, BigDecimal total) {}
    record CartWithMoreStatuses(StatusWithFrozen status, List<Line> lines, BigDecimal total) {}
    record Node(String name, List<Node> children) {}

    @Test
    void describes_components_recursively_with_their_names_and_types() {
        assertThat(StateFingerprint.describe(Cart.class)).isEqualTo(
                "{status:Statusenum[OPEN,CLOSED],lines:java.util.List<Line{sku:java.lang.String,quantity:int}>,"
                        + "total:java.math.BigDecimal}");
    }

    @Test
    void is_a_hex_sha_256_that_is_equal_for_the_same_shape_even_under_another_class_name() {
        assertThat(StateFingerprint.of(Cart.class)).hasSize(64).matches("[0-9a-f]+")
                .isEqualTo(StateFingerprint.of(SameCart.class));
    }

    @Test
    void differs_when_a_nested_component_or_an_enum_constant_changes() {
        assertThat(StateFingerprint.of(Cart.class))
                .isNotEqualTo(StateFingerprint.of(CartWithOtherLines.class))
                .isNotEqualTo(StateFingerprint.of(CartWithMoreStatuses.class));
    }

    @Test
    void stops_at_a_recursive_type() {
        assertThat(StateFingerprint.describe(Node.class))
                .isEqualTo("{name:java.lang.String,children:java.util.List<Node@recursive>}");
    }
}
