// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the {@code factum} command line does on a real store, run in-process exactly as typed. Subclasses name the
 * store ({@link #storeArgs()}), which is empty before each test.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class CliContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code --store …} (and {@code --schema …}) of an empty store for this test. */
    protected abstract List<String> storeArgs();

    CliRun.Result factum(String... args) {
        return CliRun.factum(storeArgs(), args);
    }

    CliRun.Result factumWithStdin(String stdin, String... args) {
        return CliRun.withStdin(storeArgs(), stdin, args);
    }

    void assertSucceeded(CliRun.Result result) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isZero();
    }

    /** One line {@code factum: <message>} on stderr, no stack trace, nothing on stdout, the given exit code. */
    static void assertFailedInOneLine(CliRun.Result result, int exitCode, String... messageParts) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isEqualTo(exitCode);
        assertThat(result.err().lines().toList()).as("stderr is one clear line, never a stack trace").hasSize(1);
        assertThat(result.err()).startsWith("factum: ").doesNotContain("\tat ");
        if (messageParts.length > 0) assertThat(result.err()).contains(messageParts);
        assertThat(result.out()).as("stdout of a failed command").isEmpty();
    }

    /** Invariant 1 (an append is atomic) seen from the CLI: a refused append leaves the store empty. */
    void assertNothingWritten() {
        CliRun.Result all = factum("read-all");
        assertSucceeded(all);
        assertThat(all.out()).as("a refused append writes nothing (invariant 1)").isEmpty();
    }

    static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    /** The payload of a text line "position  stream@version  type  recordedAt  payload", parsed (stores may reformat it). */
    static JsonNode payloadOf(String line) {
        String[] fields = line.split("  ", 5);
        assertThat(fields).as("five fields in: %s", line).hasSize(5);
        return json(fields[4]);
    }

    @Nested
    class Append {
        @Test
        void append_prints_the_stream_version_and_position_of_the_new_event() {
            CliRun.Result first = factum("append", "Order-1", "OrderCreated", "{\"customerId\":\"c-1\"}");
            CliRun.Result second = factum("append", "Order-1", "OrderShipped", "{}", "--json");

            assertSucceeded(first);
            assertThat(first.out()).startsWith("appended to Order-1: version 1, position 1, event id ");
            assertSucceeded(second);
            JsonNode result = json(second.out());
            assertThat(result.get("stream").asText()).isEqualTo("Order-1");
            assertThat(result.get("firstVersion").asLong()).isEqualTo(2);
            assertThat(result.get("lastPosition").asLong()).isEqualTo(2);
        }

        @Test
        void append_reads_the_payload_from_standard_input_when_it_is_a_dash() {
            assertSucceeded(factumWithStdin("{\"amount\": 12}\n", "append", "Payment-7", "PaymentReceived", "-"));

            CliRun.Result read = factum("read", "Payment-7", "--json");
            assertThat(json(read.out()).get("data").get("amount").asInt()).isEqualTo(12);
        }

        @Test
        void append_stores_the_metadata_given_as_options() {
            UUID eventId = UUID.randomUUID();
            String traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            assertSucceeded(factum("append", "Order-1", "OrderCreated", "{}", "--event-id", eventId.toString(),
                    "--correlation-id", "corr-1", "--causation-id", "cause-1", "--user-id", "u-1",
                    "--traceparent", traceParent, "--header", "tenant=t-1", "--headers", "{\"channel\":\"web\"}"));

            JsonNode metadata = json(factum("read", "Order-1", "--json").out()).get("metadata");
            assertThat(metadata.get("eventId").asText()).isEqualTo(eventId.toString());
            assertThat(metadata.get("correlationId").asText()).isEqualTo("corr-1");
            assertThat(metadata.get("causationId").asText()).isEqualTo("cause-1");
            assertThat(metadata.get("userId").asText()).isEqualTo("u-1");
            assertThat(metadata.get("traceParent").asText()).isEqualTo(traceParent);
            assertThat(metadata.get("headers").get("tenant").asText()).isEqualTo("t-1");
            assertThat(metadata.get("headers").get("channel").asText()).isEqualTo("web");
        }

        @Test
        void repeating_an_append_with_the_same_event_id_writes_nothing_and_prints_the_original_result() {
            String eventId = UUID.randomUUID().toString();
            CliRun.Result first = factum("append", "Order-1", "OrderCreated", "{}", "--event-id", eventId);
            CliRun.Result again = factum("append", "Order-1", "OrderCreated", "{}", "--event-id", eventId);

            assertSucceeded(again);
            assertThat(again.out()).as("idempotent append (invariant 3)").isEqualTo(first.out());
            assertThat(factum("read-all").lines()).hasSize(1);
        }

        @Test
        void append_with_stale_expected_version_is_rejected_with_the_conflict_exit_code_and_writes_nothing() {
            assertSucceeded(factum("append", "Order-1", "OrderCreated", "{}"));

            CliRun.Result stale = factum("append", "Order-1", "OrderShipped", "{}", "--expected-version", "no-stream");

            assertFailedInOneLine(stale, FactumCli.CONFLICT, "Order-1", "version 1", "nothing was written");
            assertThat(factum("read", "Order-1").lines()).as("ExpectedVersion is checked in the append's transaction (invariant 1)").hasSize(1);
        }

        @Test
        void append_with_the_current_expected_version_succeeds() {
            assertSucceeded(factum("append", "Order-1", "OrderCreated", "{}", "--expected-version", "no-stream"));

            assertSucceeded(factum("append", "Order-1", "OrderShipped", "{}", "--expected-version", "1"));
            assertSucceeded(factum("append", "Order-1", "OrderPaid", "{}", "--expected-version", "exists"));
        }

        @Test
        void append_with_malformed_json_is_rejected_in_one_line_and_writes_nothing() {
            CliRun.Result bad = factum("append", "Order-1", "OrderCreated", "{\"customerId\":");

            assertFailedInOneLine(bad, FactumCli.FAILURE, "OrderCreated", "not valid JSON");
            assertNothingWritten();
        }

        @Test
        void append_with_a_payload_that_is_not_an_object_is_rejected_and_writes_nothing() {
            assertFailedInOneLine(factum("append", "Order-1", "OrderCreated", "[1,2]"), FactumCli.FAILURE, "not a JSON object");
            assertNothingWritten();
        }

        @Test
        void append_with_an_oversized_payload_is_rejected_and_writes_nothing() {
            String payload = "{\"blob\":\"" + "x".repeat(1 << 20) + "\"}";

            CliRun.Result big = factumWithStdin(payload, "append", "Order-1", "OrderCreated", "-");

            assertFailedInOneLine(big, FactumCli.FAILURE, "bytes", "the limit is");
            assertNothingWritten();
        }

        @Test
        void append_to_a_malformed_stream_name_is_a_usage_error_and_writes_nothing() {
            assertFailedInOneLine(factum("append", "Order42", "OrderCreated", "{}"), FactumCli.USAGE, "Order42", "Category-id");
            assertFailedInOneLine(factum("append", " ", "OrderCreated", "{}"), FactumCli.USAGE, "blank");
            assertNothingWritten();
        }

        @Test
        void append_with_a_malformed_type_name_is_rejected_and_writes_nothing() {
            assertFailedInOneLine(factum("append", "Order-1", "Order Created", "{}"), FactumCli.FAILURE, "malformed type name");
            assertNothingWritten();
        }

        @Test
        void append_with_headers_that_are_not_a_string_map_is_a_usage_error_and_writes_nothing() {
            assertFailedInOneLine(factum("append", "Order-1", "OrderCreated", "{}", "--headers", "{\"retries\":3}"),
                    FactumCli.USAGE, "retries", "not a string");
            assertFailedInOneLine(factum("append", "Order-1", "OrderCreated", "{}", "--headers", "[\"a\"]"),
                    FactumCli.USAGE, "--headers");
            assertNothingWritten();
        }

        @Test
        void append_with_malformed_metadata_options_is_a_usage_error_and_writes_nothing() {
            assertFailedInOneLine(factum("append", "Order-1", "OrderCreated", "{}", "--event-id", "not-a-uuid"),
                    FactumCli.USAGE, "--event-id");
            assertFailedInOneLine(factum("append", "Order-1", "OrderCreated", "{}", "--traceparent", "00-xyz"),
                    FactumCli.USAGE, "traceparent");
            assertFailedInOneLine(factum("append", "Order-1", "OrderCreated", "{}", "--expected-version", "-3"),
                    FactumCli.USAGE, "--expected-version");
            assertFailedInOneLine(factum("append", "Order-1", "OrderCreated", "{}", "--expected-version", "0"),
                    FactumCli.USAGE, "no-stream");
            assertNothingWritten();
        }

        @Test
        void append_with_an_unknown_option_or_a_missing_argument_is_a_usage_error() {
            assertFailedInOneLine(factum("append", "Order-1", "OrderCreated", "{}", "--no-such-option"),
                    FactumCli.USAGE, "Unknown option", "--no-such-option");
            assertFailedInOneLine(factum("append", "Order-1"), FactumCli.USAGE, "Missing required parameters", "TYPE");
            assertNothingWritten();
        }
    }

    @Nested
    class Read {
        @Test
        void read_prints_one_line_per_event_in_version_order() {
            appendThree();

            List<String> lines = factum("read", "Order-1").lines();

            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).startsWith("1  Order-1@1  OrderCreated  ");
            assertThat(payloadOf(lines.get(0))).isEqualTo(json("{\"n\":1}"));
            assertThat(lines.get(1)).startsWith("3  Order-1@2  OrderShipped  ");
            assertThat(payloadOf(lines.get(1))).isEqualTo(json("{\"n\":3}"));
        }

        @Test
        void read_backward_with_a_limit_prints_the_newest_events_first() {
            appendThree();

            assertThat(factum("read", "Order-1", "--backward", "--limit", "1").lines())
                    .singleElement().asString().startsWith("3  Order-1@2  OrderShipped");
        }

        @Test
        void read_from_a_version_skips_the_earlier_events() {
            appendThree();

            assertThat(factum("read", "Order-1", "--from", "2").lines()).singleElement().asString().contains("Order-1@2");
        }

        @Test
        void read_of_a_stream_that_does_not_exist_prints_nothing() {
            CliRun.Result read = factum("read", "Order-404");

            assertSucceeded(read);
            assertThat(read.out()).isEmpty();
        }

        @Test
        void read_from_version_zero_is_a_usage_error() {
            assertFailedInOneLine(factum("read", "Order-1", "--from", "0"), FactumCli.USAGE, "--from");
        }
    }

    @Nested
    class ReadAll {
        @Test
        void read_all_prints_every_event_in_position_order() {
            appendThree();

            List<String> lines = factum("read-all").lines();

            assertThat(lines).extracting(l -> l.substring(0, l.indexOf(' '))).as("positions, strictly increasing, none skipped")
                    .containsExactly("1", "2", "3");
        }

        @Test
        void read_all_after_a_position_with_a_limit_prints_the_events_that_follow_it() {
            appendThree();

            assertThat(factum("read-all", "--after", "1", "--limit", "1").lines())
                    .singleElement().asString().startsWith("2  Payment-1@1  PaymentReceived");
        }

        @Test
        void read_all_of_one_category_prints_only_its_streams() {
            appendThree();

            assertThat(factum("read-all", "--category", "Order").lines()).hasSize(2).allMatch(l -> l.contains("  Order-1@"));
        }

        @Test
        void read_all_json_lines_carry_position_stream_version_type_payload_and_metadata() {
            appendThree();

            List<JsonNode> events = factum("read-all", "--json").lines().stream().map(CliContract::json).toList();

            assertThat(events).hasSize(3);
            JsonNode second = events.get(1);
            assertThat(second.get("position").asLong()).isEqualTo(2);
            assertThat(second.get("stream").asText()).isEqualTo("Payment-1");
            assertThat(second.get("version").asLong()).isEqualTo(1);
            assertThat(second.get("type").asText()).isEqualTo("PaymentReceived");
            assertThat(second.get("data").get("n").asInt()).isEqualTo(2);
            assertThat(second.get("metadata").get("eventId").asText()).isNotBlank();
            assertThat(second.get("recordedAt").asText()).isNotBlank();
        }

        @Test
        void read_all_with_a_malformed_category_is_a_usage_error() {
            assertFailedInOneLine(factum("read-all", "--category", "Order-1"), FactumCli.USAGE, "--category");
        }
    }

    @Nested
    class Stats {
        @Test
        void stats_counts_events_streams_and_events_per_category() {
            appendThree();

            CliRun.Result stats = factum("stats");

            assertSucceeded(stats);
            assertThat(stats.out()).contains("events         3", "streams        2", "head position  3", "  Order    2", "  Payment  1");
            JsonNode json = json(factum("stats", "--json").out());
            assertThat(json.get("events").asLong()).isEqualTo(3);
            assertThat(json.get("headPosition").asLong()).isEqualTo(3);
            assertThat(json.get("eventsByCategory").get("Payment").asLong()).isEqualTo(1);
            assertThat(json.get("store").asText()).isNotBlank();
        }

        @Test
        void stats_of_an_empty_store_counts_nothing() {
            assertThat(factum("stats").out()).contains("events         0", "head position  0");
        }
    }

    @Nested
    class Tail {
        @Test
        void tail_prints_the_events_so_far_then_an_event_appended_after_it_started() throws InterruptedException {
            assertSucceeded(factum("append", "Order-1", "OrderCreated", "{}"));
            CliRun tail = CliRun.live(storeArgs());
            AtomicInteger exitCode = new AtomicInteger(-1);
            Thread running = Thread.ofPlatform().name("test-tail").start(() -> exitCode.set(tail.execute("", "tail").exitCode()));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> tail.outSoFar().contains("Order-1@1"));

                assertSucceeded(factum("append", "Order-2", "OrderCreated", "{\"late\":true}"));

                await().atMost(Duration.ofSeconds(30)).until(() -> tail.outSoFar().contains("Order-2@1"));
            } finally {
                running.interrupt();
                running.join(Duration.ofSeconds(30));
            }
            assertThat(running.isAlive()).as("tail stops when asked").isFalse();
            assertThat(exitCode.get()).isZero();
            assertThat(tail.outSoFar().lines().toList()).hasSize(2);
            String late = tail.outSoFar().lines().toList().get(1);
            assertThat(late).startsWith("2  Order-2@1  OrderCreated  ");
            assertThat(payloadOf(late)).isEqualTo(json("{\"late\":true}"));
        }

        @Test
        void tail_from_the_end_prints_only_events_committed_after_it_started() throws InterruptedException {
            assertSucceeded(factum("append", "Order-1", "OrderCreated", "{}"));
            CliRun tail = CliRun.live(storeArgs());
            Thread running = Thread.ofPlatform().name("test-tail").start(() -> tail.execute("", "tail", "--from-end", "--category", "Order"));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> tail.errSoFar().contains("after position 1"));

                assertSucceeded(factum("append", "Payment-1", "PaymentReceived", "{}"));
                assertSucceeded(factum("append", "Order-2", "OrderCreated", "{}"));

                await().atMost(Duration.ofSeconds(30)).until(() -> tail.outSoFar().contains("Order-2@1"));
            } finally {
                running.interrupt();
                running.join(Duration.ofSeconds(30));
            }
            assertThat(tail.outSoFar().lines().toList()).as("only the Order event committed after the start")
                    .singleElement().asString().startsWith("3  Order-2@1");
        }
    }

    /** Order-1@1 (position 1), Payment-1@1 (position 2), Order-1@2 (position 3); payloads {"n":position}. */
    private void appendThree() {
        assertSucceeded(factum("append", "Order-1", "OrderCreated", "{\"n\":1}"));
        assertSucceeded(factum("append", "Payment-1", "PaymentReceived", "{\"n\":2}"));
        assertSucceeded(factum("append", "Order-1", "OrderShipped", "{\"n\":3}"));
    }
}
