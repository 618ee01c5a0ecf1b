// SPDX-License-Identifier: Apache-2.0
package dev.factum.event;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MetadataTest {

    @Test
    void a_root_event_is_its_own_correlation_and_causation() {
        Metadata root = Metadata.create();

        assertThat(root.correlationId()).isEqualTo(root.eventId().toString());
        assertThat(root.causationId()).isEqualTo(root.eventId().toString());
        assertThat(root.schemaVersion()).isEqualTo(1);
        assertThat(root.userId()).isEmpty();
        assertThat(root.traceParent()).isEmpty();
        assertThat(root.headers()).isEmpty();
        assertThat(root.eventId().version()).as("time-ordered UUID v7").isEqualTo(7);
    }

    @Test
    void with_methods_return_copies_and_leave_the_original_alone() {
        Metadata original = Metadata.create();

        Metadata changed = original.withUserId("u1").withHeader("tenant", "acme").withSchemaVersion(2);

        assertThat(original.userId()).isEmpty();
        assertThat(original.headers()).isEmpty();
        assertThat(changed.userId()).contains("u1");
        assertThat(changed.headers()).containsExactly(Map.entry("tenant", "acme"));
        assertThat(changed.eventId()).isEqualTo(original.eventId());
    }

    @Test
    void headers_are_copied_sorted_and_unmodifiable() {
        Map<String, String> given = new HashMap<>(Map.of("b", "2", "a", "1"));
        Metadata metadata = Metadata.create().withHeaders(given);
        given.put("c", "3");

        assertThat(metadata.headers().keySet()).containsExactly("a", "b");
        assertThatThrownBy(() -> metadata.headers().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void a_header_of_the_same_name_is_replaced() {
        assertThat(Metadata.create().withHeader("a", "1").withHeader("a", "2").headers()).containsExactly(Map.entry("a", "2"));
    }

    @Test
    void bad_values_are_refused_naming_the_field() {
        Metadata m = Metadata.create();

        assertThatThrownBy(() -> m.withCorrelationId(" ")).hasMessage("correlation id is blank");
        assertThatThrownBy(() -> m.withCausationId("")).hasMessage("causation id is blank");
        assertThatThrownBy(() -> m.withUserId(" ")).hasMessage("user id is blank");
        assertThatThrownBy(() -> m.withSchemaVersion(0)).hasMessage("schema version must be >= 1, was 0");
        assertThatThrownBy(() -> m.withTraceParent("not-a-trace")).hasMessageContaining("'not-a-trace' is not in W3C form");
        assertThatThrownBy(() -> m.withHeader("", "v")).hasMessage("metadata header name is blank");
        assertThatThrownBy(() -> m.withHeader("h", null)).hasMessage("metadata header 'h' has no value");
    }

    @Test
    void a_w3c_traceparent_is_accepted() {
        String traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        assertThat(Metadata.create().withTraceParent(traceParent).traceParent()).contains(traceParent);
    }

    @Test
    void the_canonical_constructor_validates_too() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> new Metadata(id, "c", "c", Optional.empty(), Optional.empty(), -3, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Metadata(null, "c", "c", Optional.empty(), Optional.empty(), 1, Map.of()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void event_ids_are_version_7_unique_and_strictly_increasing_even_within_one_millisecond() {
        List<UUID> ids = java.util.stream.Stream.generate(EventIds::next).limit(5000).toList();

        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        });
        List<Long> msb = ids.stream().map(UUID::getMostSignificantBits).toList();
        assertThat(msb).as("ids made one after another sort in the order they were made").isSorted().doesNotHaveDuplicates();
        long millis = ids.get(0).getMostSignificantBits() >>> 16;
        assertThat(millis).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    }
}
