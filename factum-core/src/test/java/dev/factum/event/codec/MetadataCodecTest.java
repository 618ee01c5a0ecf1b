// SPDX-License-Identifier: Apache-2.0
package dev.factum.event.codec;

import dev.factum.event.Metadata;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MetadataCodecTest {
    private static final String ID = "0190a6b2-8d4e-7c3a-9f1e-2b3c4d5e6f70";

    private static String with(String extra) {
        return "{\"eventId\":\"" + ID + "\",\"correlationId\":\"c\",\"causationId\":\"k\"" + extra + "}";
    }

    @Nested
    class Round_trip {

        @Test
        void full_metadata_round_trips() {
            Metadata metadata = Metadata.withId(UUID.randomUUID()).withCorrelationId("corr").withCausationId("cause")
                    .withUserId("user").withTraceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                    .withSchemaVersion(4).withHeaders(Map.of("a", "1", "quote", "\"", "empty", ""));

            assertThat(MetadataCodec.fromJson(MetadataCodec.toJson(metadata))).isEqualTo(metadata);
        }

        @Test
        void absent_optional_fields_are_left_out() {
            Metadata root = Metadata.create();

            String json = MetadataCodec.toJson(root);

            assertThat(json).doesNotContain("userId").doesNotContain("traceParent").doesNotContain("headers");
            assertThat(MetadataCodec.fromJson(json)).isEqualTo(root);
        }

        @Test
        void a_missing_schema_version_means_1_and_null_optionals_mean_absent() {
            Metadata read = MetadataCodec.fromJson(with(",\"userId\":null,\"headers\":null"));

            assertThat(read.schemaVersion()).isEqualTo(1);
            assertThat(read.userId()).isEmpty();
            assertThat(read.headers()).isEmpty();
        }
    }

    @Nested
    class Refusing {

        @Test
        void headers_that_are_not_a_map_of_strings() {
            assertThatThrownBy(() -> MetadataCodec.fromJson(with(",\"headers\":{\"retries\":3}")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("metadata header 'retries' is not a string: 3");
            assertThatThrownBy(() -> MetadataCodec.fromJson(with(",\"headers\":{\"n\":null}")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header 'n' is not a string");
            assertThatThrownBy(() -> MetadataCodec.fromJson(with(",\"headers\":[\"a\"]")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("metadata headers are not a JSON object of strings");
        }

        @Test
        void a_missing_or_malformed_event_id() {
            assertThatThrownBy(() -> MetadataCodec.fromJson("{\"correlationId\":\"c\",\"causationId\":\"k\"}"))
                    .hasMessage("metadata has no eventId");
            assertThatThrownBy(() -> MetadataCodec.fromJson("{\"eventId\":\"nope\",\"correlationId\":\"c\",\"causationId\":\"k\"}"))
                    .hasMessageContaining("eventId is not a UUID");
        }

        @Test
        void fields_of_the_wrong_type() {
            assertThatThrownBy(() -> MetadataCodec.fromJson(with(",\"userId\":42")))
                    .hasMessage("metadata userId is not a string: 42");
            assertThatThrownBy(() -> MetadataCodec.fromJson(with(",\"schemaVersion\":\"2\"")))
                    .hasMessageContaining("schemaVersion is not an integer");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.5", "2.0", "1e3", "true", "99999999999"})
        void a_schema_version_that_is_not_a_whole_int(String version) {
            assertThatThrownBy(() -> MetadataCodec.fromJson(with(",\"schemaVersion\":" + version)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("schemaVersion is not an integer");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "[]", "\"text\"", "{", "null"})
        void text_that_is_not_a_json_object(String json) {
            assertThatThrownBy(() -> MetadataCodec.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("metadata is not");
        }

        @Test
        void text_after_the_object() {
            assertThatThrownBy(() -> MetadataCodec.fromJson(with("") + " {}")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not valid JSON");
        }
    }

    @Nested
    class String_maps {

        @Test
        void a_json_object_of_strings_is_read_sorted() {
            assertThat(MetadataCodec.stringMap("{\"b\":\"2\",\"a\":\"1\"}")).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        }

        @Test
        void an_empty_object_is_an_empty_map() {
            assertThat(MetadataCodec.stringMap("{}")).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"a\":1}", "{\"a\":{\"b\":\"c\"}}", "{\"a\":[\"x\"]}", "{\"a\":false}"})
        void a_value_that_is_not_a_string_is_refused_naming_the_key(String json) {
            assertThatThrownBy(() -> MetadataCodec.stringMap(json)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'a' is not a string");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"a\"", "3", "", "null"})
        void text_that_is_not_an_object_is_refused(String json) {
            assertThatThrownBy(() -> MetadataCodec.stringMap(json)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a JSON object");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{a:1}", "{\"a\":\"b\"", "{\"a\":\"b\"} x", "{\"a\":\"b\"} {}"})
        void text_that_is_not_json_is_refused(String json) {
            assertThatThrownBy(() -> MetadataCodec.stringMap(json)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not valid JSON");
        }
    }
}
