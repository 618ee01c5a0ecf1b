// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MessageHeadersTest {
    private static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String BODY = "{\"orderId\":\"7\",\"total\":19.99}";

    private static Message fullMessage() {
        return new Message(UUID.fromString("0190f1d2-3c4b-7a00-8000-000000000042"), "OrderSubmitted", "Order-7", 42,
                "corr-1", "cause-1", Optional.of("ada"), Optional.of(TRACE), Message.JSON, BODY,
                Map.of("tenant", "acme", "source", "web"), Instant.parse("2026-03-01T09:00:00.123456Z"));
    }

    /** The headers of a valid message, to spoil one at a time. */
    private static Map<String, String> validHeaders() {
        return new HashMap<>(MessageHeaders.encode(fullMessage()));
    }

    @Nested
    class encode_then_decode {
        @Test
        void gives_back_every_field_of_the_envelope_and_the_body() {
            Message message = fullMessage();

            Message decoded = MessageHeaders.decode(MessageHeaders.encode(message), message.body());

            assertThat(decoded).isEqualTo(message);
            assertThat(decoded.userId()).contains("ada");
            assertThat(decoded.traceParent()).contains(TRACE);
            assertThat(decoded.headers()).containsExactly(Map.entry("source", "web"), Map.entry("tenant", "acme"));
            assertThat(decoded.timestamp()).isEqualTo(Instant.parse("2026-03-01T09:00:00.123456Z"));
        }

        @Test
        void leaves_out_absent_user_id_and_trace_context_and_reads_them_back_as_absent() {
            Message message = new Message(UUID.randomUUID(), "OrderShipped", "Order-7", 1, "c", "c",
                    Optional.empty(), Optional.empty(), Message.JSON, "{}", Map.of(), Instant.EPOCH);

            Map<String, String> headers = MessageHeaders.encode(message);

            assertThat(headers).doesNotContainKeys(MessageHeaders.USER_ID, MessageHeaders.TRACE_PARENT);
            assertThat(MessageHeaders.decode(headers, "{}")).isEqualTo(message);
        }

        @Test
        void writes_the_documented_header_names() {
            Map<String, String> headers = MessageHeaders.encode(fullMessage());

            assertThat(headers).containsEntry("factum-message-id", "0190f1d2-3c4b-7a00-8000-000000000042")
                    .containsEntry("factum-type", "OrderSubmitted")
                    .containsEntry("factum-stream", "Order-7")
                    .containsEntry("factum-position", "42")
                    .containsEntry("factum-correlation-id", "corr-1")
                    .containsEntry("factum-causation-id", "cause-1")
                    .containsEntry("factum-user-id", "ada")
                    .containsEntry("traceparent", TRACE)
                    .containsEntry("content-type", "application/json")
                    .containsEntry("factum-timestamp", "2026-03-01T09:00:00.123456Z")
                    .containsEntry("factum-header.tenant", "acme")
                    .containsEntry("factum-header.source", "web")
                    .hasSize(12);
        }

        @Test
        void ignores_headers_that_are_not_factum_headers() {
            Map<String, String> headers = validHeaders();
            headers.put("x-death", "count=1");
            headers.put("factum-header.", "no name");

            assertThat(MessageHeaders.decode(headers, BODY)).isEqualTo(fullMessage());
        }
    }

    @Nested
    class decode_content_type {
        @Test
        void accepts_json_with_a_charset_and_keeps_the_content_type_as_sent() {
            Map<String, String> headers = validHeaders();
            headers.put(MessageHeaders.CONTENT_TYPE, "application/json; charset=utf-8");

            Message message = MessageHeaders.decode(headers, BODY);

            assertThat(message.contentType()).isEqualTo("application/json; charset=utf-8");
            assertThat(message.body()).isEqualTo(BODY);
        }

        @Test
        void accepts_json_in_upper_case() {
            Map<String, String> headers = validHeaders();
            headers.put(MessageHeaders.CONTENT_TYPE, "Application/JSON");

            assertThat(MessageHeaders.decode(headers, BODY).contentType()).isEqualTo("Application/JSON");
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "application/xml", "application/json-patch+json", "application/jsonx"})
        void refuses_anything_else_naming_the_content_type(String contentType) {
            Map<String, String> headers = validHeaders();
            headers.put(MessageHeaders.CONTENT_TYPE, contentType);

            assertThatThrownBy(() -> MessageHeaders.decode(headers, BODY))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("content type '" + contentType + "' is not application/json");
        }
    }

    @Nested
    class decode_body {
        @Test
        void refuses_a_body_that_is_not_json() {
            assertThatThrownBy(() -> MessageHeaders.decode(validHeaders(), "order 7 submitted"))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessageStartingWith("the body is not JSON: ");
        }

        @Test
        void refuses_a_body_that_breaks_off() {
            assertThatThrownBy(() -> MessageHeaders.decode(validHeaders(), "{\"orderId\":"))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessageStartingWith("the body is not JSON: ");
        }

        @Test
        void refuses_two_json_values() {
            assertThatThrownBy(() -> MessageHeaders.decode(validHeaders(), "{\"a\":1} {\"b\":2}"))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("the body has more than one JSON value");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\n"})
        void refuses_an_empty_body(String body) {
            assertThatThrownBy(() -> MessageHeaders.decode(validHeaders(), body))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("the body is empty, not JSON");
        }

        @Test
        void refuses_a_missing_body() {
            assertThatThrownBy(() -> MessageHeaders.decode(validHeaders(), null))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("the message has no body");
        }

        @Test
        void accepts_any_single_json_value() {
            assertThat(MessageHeaders.decode(validHeaders(), " [1, 2] ").body()).isEqualTo(" [1, 2] ");
        }
    }

    @Nested
    class decode_headers {
        @ParameterizedTest
        @ValueSource(strings = {MessageHeaders.MESSAGE_ID, MessageHeaders.TYPE, MessageHeaders.STREAM,
                MessageHeaders.POSITION, MessageHeaders.CORRELATION_ID, MessageHeaders.CAUSATION_ID,
                MessageHeaders.CONTENT_TYPE, MessageHeaders.TIMESTAMP})
        void refuses_a_missing_required_header_by_name(String name) {
            Map<String, String> headers = validHeaders();
            headers.remove(name);

            assertThatThrownBy(() -> MessageHeaders.decode(headers, BODY))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("header " + name + " is missing");
        }

        @ParameterizedTest
        @ValueSource(strings = {MessageHeaders.TYPE, MessageHeaders.STREAM, MessageHeaders.CORRELATION_ID})
        void takes_a_blank_required_header_for_a_missing_one(String name) {
            Map<String, String> headers = validHeaders();
            headers.put(name, " ");

            assertThatThrownBy(() -> MessageHeaders.decode(headers, BODY))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("header " + name + " is missing");
        }

        @Test
        void refuses_a_message_id_that_is_not_a_uuid() {
            Map<String, String> headers = validHeaders();
            headers.put(MessageHeaders.MESSAGE_ID, "order-7");

            assertThatThrownBy(() -> MessageHeaders.decode(headers, BODY))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("header factum-message-id 'order-7' is not a UUID");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-3", "seven", "1.5", "99999999999999999999"})
        void refuses_a_position_that_is_not_a_whole_number_from_1(String position) {
            Map<String, String> headers = validHeaders();
            headers.put(MessageHeaders.POSITION, position);

            assertThatThrownBy(() -> MessageHeaders.decode(headers, BODY))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("header factum-position '" + position + "' is not a position (a whole number >= 1)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"yesterday", "2026-03-01", "2026-03-01 09:00:00"})
        void refuses_a_timestamp_that_is_not_an_iso_instant(String timestamp) {
            Map<String, String> headers = validHeaders();
            headers.put(MessageHeaders.TIMESTAMP, timestamp);

            assertThatThrownBy(() -> MessageHeaders.decode(headers, BODY))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("header factum-timestamp '" + timestamp + "' is not an ISO-8601 instant");
        }

        @Test
        void refuses_a_custom_header_without_a_value() {
            Map<String, String> headers = validHeaders();
            headers.put("factum-header.tenant", null);

            assertThatThrownBy(() -> MessageHeaders.decode(headers, BODY))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("header factum-header.tenant has no value");
        }

        @Test
        void refuses_a_message_without_headers() {
            assertThatThrownBy(() -> MessageHeaders.decode(null, BODY))
                    .isInstanceOf(InvalidMessageException.class)
                    .hasMessage("the message has no headers");
        }

        @Test
        void reads_a_blank_user_id_or_trace_context_as_absent() {
            Map<String, String> headers = validHeaders();
            headers.put(MessageHeaders.USER_ID, "");
            headers.put(MessageHeaders.TRACE_PARENT, " ");

            Message message = MessageHeaders.decode(headers, BODY);

            assertThat(message.userId()).isEmpty();
            assertThat(message.traceParent()).isEmpty();
        }
    }
}
