// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.event.InvalidEventException;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.event.codec.EventDecodingException;
import dev.factum.event.codec.MetadataCodec;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.UUID;

import static dev.factum.test.conformance.TestEvents.events;
import static dev.factum.test.conformance.TestEvents.freshStream;
import static dev.factum.test.conformance.TestEvents.readAll;
import static dev.factum.test.conformance.TestEvents.readStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Bad input (invariant 5): malformed, non-object, empty and oversized payloads, bad type names, stream ids, versions
 * and metadata — each a clear exception naming the problem, with nothing written; and a stored event of an unknown
 * type fails only its own decoding, naming type and position. Subclass it once per store, overriding
 * {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class PayloadValidationConformance extends StoreSuite {
    private static final String NOTHING_WRITTEN = "invariant 5: bad input never corrupts a stream; nothing is written";
    private static final int SMALL_LIMIT = 1024;

    protected StreamId stream;

    @BeforeEach
    protected final void appendOneValidEvent() {
        stream = freshStream("Account");
        store.append(stream, ExpectedVersion.noStream(), events(1));
    }

    /** Appends one event with this payload after a valid one, expecting a refusal naming {@code problem}. */
    private InvalidEventException refusedPayload(EventStore target, String payload, String problem) {
        Position head = target.headPosition();
        List<RecordedEvent> before = readStream(target, stream);
        NewEvent bad = NewEvent.of("Happened", payload);
        List<NewEvent> batch = List.of(NewEvent.of("Happened", "{}"), bad);

        InvalidEventException refused = catchThrowableOfType(InvalidEventException.class,
                () -> target.append(stream, ExpectedVersion.any(), batch));

        assertThat(refused).as("payload %s must be refused", payload).isNotNull();
        assertThat(refused).hasMessageContaining(problem).hasMessageContaining(bad.eventId().toString());
        assertThat(target.headPosition()).as(NOTHING_WRITTEN).isEqualTo(head);
        assertThat(readStream(target, stream)).as(NOTHING_WRITTEN).isEqualTo(before);
        return refused;
    }

    @Nested
    class Payloads {

        @ParameterizedTest
        @ValueSource(strings = {"{\"amount\": ", "{amount: 1}", "{\"a\": 1,}", "{\"a\": 'single'}", "not json at all"})
        void malformed_json_is_refused_and_writes_nothing(String payload) {
            refusedPayload(store, payload, "not valid JSON");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[1, 2]", "\"text\"", "42", "true", "null", "[]"})
        void json_that_is_not_an_object_is_refused_and_writes_nothing(String payload) {
            refusedPayload(store, payload, "not a JSON object");
        }

        @Test
        void an_empty_payload_is_refused_and_writes_nothing() {
            refusedPayload(store, "", "empty");
            refusedPayload(store, "   ", "empty");
        }

        @Test
        void text_after_the_json_object_is_refused_and_writes_nothing() {
            refusedPayload(store, "{\"a\": 1} {\"b\": 2}", "after the end");
        }

        @Test
        void an_oversized_payload_is_refused_naming_size_and_limit_and_writes_nothing() {
            EventStore small = fixture.openEventStore(new StoreLimits(SMALL_LIMIT, 10_000));
            Position head = store.headPosition();

            refusedPayload(small, "{\"text\":\"" + "x".repeat(SMALL_LIMIT) + "\"}", "the limit is " + SMALL_LIMIT);

            assertThat(store.headPosition()).as(NOTHING_WRITTEN).isEqualTo(head);
        }

        @Test
        void the_size_limit_counts_utf8_bytes_not_characters() {
            EventStore small = fixture.openEventStore(new StoreLimits(SMALL_LIMIT, 10_000));
            String payload = "{\"text\":\"" + "é".repeat(SMALL_LIMIT / 2) + "\"}"; // 523 characters, 1035 bytes

            refusedPayload(small, payload, "the limit is " + SMALL_LIMIT);
        }

        @Test
        void a_payload_of_exactly_the_limit_is_accepted() {
            EventStore small = fixture.openEventStore(new StoreLimits(SMALL_LIMIT, 10_000));
            String payload = "{\"text\":\"" + "x".repeat(SMALL_LIMIT - 11) + "\"}";
            assertThat(payload).hasSize(SMALL_LIMIT);
            StreamId target = freshStream("Account");

            small.append(target, ExpectedVersion.noStream(), List.of(NewEvent.of("Happened", payload)));

            assertThat(readStream(small, target)).singleElement()
                    .satisfies(e -> assertThat(TestEvents.json(e.data())).isEqualTo(TestEvents.json(payload)));
        }
    }

    @Nested
    class Type_names {

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "1Starts.with.a.digit", "has space", "semi;colon", "new\nline", "ünicode"})
        void a_blank_or_malformed_type_name_is_refused_and_writes_nothing(String type) {
            Position head = store.headPosition();
            NewEvent bad = new NewEvent(type, "{}", dev.factum.event.Metadata.create());

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(bad)))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("malformed type name")
                    .hasMessageContaining(bad.eventId().toString());
            assertThat(store.headPosition()).as(NOTHING_WRITTEN).isEqualTo(head);
        }

        @Test
        void a_type_name_longer_than_200_characters_is_refused() {
            NewEvent bad = NewEvent.of("T" + "x".repeat(200), "{}");

            assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(bad)))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("at most 200");
            assertThat(store.streamVersion(stream)).as(NOTHING_WRITTEN).isEqualTo(1);
        }
    }

    @Nested
    class Stream_ids {

        @Test
        void a_blank_stream_name_is_refused() {
            assertThatThrownBy(() -> StreamId.parse("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
            assertThatThrownBy(() -> StreamId.parse("  ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
            assertThatThrownBy(() -> StreamId.of("Cart", " ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
            assertThatThrownBy(() -> StreamId.of("", "1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        }

        @Test
        void a_malformed_stream_name_is_refused_naming_the_bad_part() {
            assertMalformed("Cart", "'Cart'");
            assertMalformed("-42", "'-42'");
            assertMalformed("Cart-", "'Cart-'");
            assertMalformed("1Cart-42", "'1Cart'");
            assertMalformed("Ca rt-42", "'Ca rt'");
            assertMalformed("Ca:rt-1", "'Ca:rt'");
            assertMalformed("Cart-4 2", "'4 2'");
            assertMalformed("Cart-4\t2", "whitespace");
        }

        private void assertMalformed(String text, String named) {
            assertThatThrownBy(() -> StreamId.parse(text))
                    .as("StreamId.parse(%s)", text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(named);
        }

        @Test
        void a_category_with_a_dash_is_refused() {
            assertThatThrownBy(() -> StreamId.of("Cart-Line", "1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Cart-Line")
                    .hasMessageContaining("no '-'");
        }

        @Test
        void a_stream_name_longer_than_200_characters_is_refused() {
            assertThatThrownBy(() -> StreamId.of("Cart", "x".repeat(200)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("longer than 200");
        }

        @Test
        void a_category_filter_of_malformed_form_is_refused() {
            assertThatThrownBy(() -> dev.factum.store.ReadAllOptions.fromStart().category("Cart-Line"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Cart-Line");
        }
    }

    @Nested
    class Versions {

        @Test
        void a_negative_or_zero_expected_version_is_refused() {
            assertThatThrownBy(() -> ExpectedVersion.exactly(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1")
                    .hasMessageContaining("noStream");
            assertThatThrownBy(() -> ExpectedVersion.exactly(0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_negative_or_zero_read_version_is_refused() {
            assertThatThrownBy(() -> ReadStreamOptions.forward().fromVersion(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fromVersion must be >= 1, was -1");
            assertThatThrownBy(() -> ReadStreamOptions.backward().fromVersion(0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_limit_below_one_is_refused() {
            assertThatThrownBy(() -> ReadStreamOptions.forward().limit(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
            assertThatThrownBy(() -> dev.factum.store.ReadAllOptions.fromStart().limit(-5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        }

        @Test
        void a_negative_position_is_refused() {
            assertThatThrownBy(() -> Position.of(-1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position");
        }
    }

    @Nested
    class Metadata_headers {

        private String metadataWithHeaders(String headers) {
            String id = UUID.randomUUID().toString();
            return "{\"eventId\":\"" + id + "\",\"correlationId\":\"" + id + "\",\"causationId\":\"" + id
                    + "\",\"schemaVersion\":1,\"headers\":" + headers + "}";
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"retries\": 3}", "{\"nested\": {\"a\": \"b\"}}", "{\"flag\": true}", "{\"list\": [\"a\"]}"})
        void headers_with_a_value_that_is_not_a_string_are_refused_naming_the_header(String headers) {
            String name = headers.substring(2, headers.indexOf('"', 2));

            assertThatThrownBy(() -> MetadataCodec.fromJson(metadataWithHeaders(headers)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("header '" + name + "' is not a string");
            assertThatThrownBy(() -> MetadataCodec.stringMap(headers))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + name + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[\"a\", \"b\"]", "\"a=b\"", "7"})
        void headers_that_are_not_a_json_object_are_refused(String headers) {
            assertThatThrownBy(() -> MetadataCodec.fromJson(metadataWithHeaders(headers)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("headers are not a JSON object");
            assertThatThrownBy(() -> MetadataCodec.stringMap(headers))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a JSON object");
        }

        @Test
        void headers_that_are_not_json_are_refused() {
            assertThatThrownBy(() -> MetadataCodec.stringMap("{a=b}"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not valid JSON");
        }

        @Test
        void a_blank_header_name_is_refused() {
            assertThatThrownBy(() -> dev.factum.event.Metadata.create().withHeader(" ", "v"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("header name is blank");
        }
    }

    /** Records for the decoding tests; stored under their simple names. */
    public sealed interface Ledger {
    }

    public record Deposited(int amount) implements Ledger {
    }

    public record Withdrawn(int amount) implements Ledger {
    }

    @Nested
    class Decoding_stored_events {

        private final EventCodec codec = EventCodec.builder().registerSealed(Ledger.class).build();

        @Test
        void an_unknown_type_fails_only_its_own_event_naming_type_and_position() {
            StreamId ledger = freshStream("Ledger");
            store.append(ledger, ExpectedVersion.noStream(), List.of(codec.encode(new Deposited(5)),
                    NewEvent.of("RenamedLongAgo", "{\"amount\": 1}"), codec.encode(new Withdrawn(2))));
            List<RecordedEvent> read = readStream(store, ledger);

            EventDecodingException failed = catchThrowableOfType(EventDecodingException.class,
                    () -> codec.decode(read.get(1)));

            assertThat(failed).isNotNull();
            assertThat(failed.type()).isEqualTo("RenamedLongAgo");
            assertThat(failed.position()).isEqualTo(read.get(1).position());
            assertThat(failed).hasMessageContaining("RenamedLongAgo")
                    .hasMessageContaining("position " + read.get(1).position().value());
            assertThat(codec.decode(read.get(0), Ledger.class)).isEqualTo(new Deposited(5));
            assertThat(codec.decode(read.get(2), Ledger.class)).as("the events after a bad one still decode")
                    .isEqualTo(new Withdrawn(2));
        }

        @Test
        void a_payload_that_does_not_fit_its_type_fails_naming_type_and_position() {
            StreamId ledger = freshStream("Ledger");
            store.append(ledger, ExpectedVersion.noStream(), List.of(NewEvent.of("Deposited", "{\"amount\": \"lots\"}"),
                    codec.encode(new Deposited(3))));
            List<RecordedEvent> read = readStream(store, ledger);

            assertThatThrownBy(() -> codec.decode(read.get(0)))
                    .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                        assertThat(e.type()).isEqualTo("Deposited");
                        assertThat(e.position()).isEqualTo(read.get(0).position());
                    });
            assertThat(codec.decode(read.get(1))).isEqualTo(new Deposited(3));
        }

        @Test
        void a_reader_of_the_global_order_decodes_every_event_around_a_bad_one() {
            StreamId ledger = freshStream("Ledger");
            store.append(ledger, ExpectedVersion.noStream(), List.of(codec.encode(new Deposited(1)),
                    NewEvent.of("Mystery", "{}"), codec.encode(new Deposited(2)), codec.encode(new Withdrawn(1))));

            List<Object> decoded = new java.util.ArrayList<>();
            List<String> failures = new java.util.ArrayList<>();
            for (RecordedEvent event : readAll(store)) {
                if (!event.stream().equals(ledger)) continue;
                try {
                    decoded.add(codec.decode(event));
                } catch (EventDecodingException e) {
                    failures.add(e.type() + "@" + e.position());
                }
            }

            assertThat(decoded).containsExactly(new Deposited(1), new Deposited(2), new Withdrawn(1));
            assertThat(failures).singleElement().asString().startsWith("Mystery@");
        }
    }
}
