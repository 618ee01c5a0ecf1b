// SPDX-License-Identifier: Apache-2.0
package dev.factum.event.codec;

import dev.factum.event.InvalidEventException;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventCodecTest {

    sealed interface AccountEvent {
    }

    record Opened(String owner, LocalDate on) implements AccountEvent {
    }

    record Deposited(BigDecimal amount) implements AccountEvent {
    }

    sealed interface Closing extends AccountEvent {
    }

    record Closed(String reason) implements Closing {
    }

    record Frozen(Instant until) implements Closing {
    }

    record Unrelated(int n) {
    }

    private final EventCodec codec = EventCodec.builder().registerSealed(AccountEvent.class).build();

    private static RecordedEvent stored(long position, NewEvent event) {
        return new RecordedEvent(StreamId.of("Account", "1"), position, Position.of(position), event.type(), event.data(),
                event.metadata(), Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Nested
    class Registering {

        @Test
        void a_sealed_interface_registers_every_record_under_its_simple_name_nested_sealed_ones_too() {
            assertThat(codec.classOf("Opened")).contains(Opened.class);
            assertThat(codec.classOf("Deposited")).contains(Deposited.class);
            assertThat(codec.classOf("Closed")).contains(Closed.class);
            assertThat(codec.classOf("Frozen")).contains(Frozen.class);
            assertThat(codec.typeOf(Frozen.class)).contains("Frozen");
            assertThat(codec.classOf("Closing")).isEmpty();
        }

        @Test
        void a_type_that_is_not_sealed_is_refused() {
            assertThatThrownBy(() -> EventCodec.builder().registerSealed(Unrelated.class))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a sealed type");
        }

        @Test
        void a_type_name_may_not_name_two_classes() {
            assertThatThrownBy(() -> EventCodec.builder().register("X", Opened.class).register("X", Closed.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'X' is already registered for " + Opened.class.getName());
        }

        @Test
        void a_class_may_not_have_two_type_names_and_the_refused_name_stays_free() {
            EventCodec.Builder builder = EventCodec.builder().register("A", Opened.class);

            assertThatThrownBy(() -> builder.register("B", Opened.class))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("under another type name");
            assertThat(builder.register("B", Closed.class).build().classOf("B")).contains(Closed.class);
        }

        @Test
        void registering_the_same_pair_twice_is_harmless() {
            EventCodec twice = EventCodec.builder().register("A", Opened.class).register("A", Opened.class).build();

            assertThat(twice.typeOf(Opened.class)).contains("A");
        }

        @Test
        void a_blank_type_name_is_refused() {
            assertThatThrownBy(() -> EventCodec.builder().register(" ", Opened.class))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("event type name is blank");
        }
    }

    @Nested
    class Encoding_and_decoding {

        @Test
        void a_record_round_trips_with_dates_and_exact_decimals() {
            Opened opened = new Opened("ada", LocalDate.of(2026, 11, 26));
            Deposited deposited = new Deposited(new BigDecimal("0.10"));

            NewEvent first = codec.encode(opened);
            NewEvent second = codec.encode(deposited, Metadata.create().withUserId("u"));

            assertThat(first.type()).isEqualTo("Opened");
            assertThat(first.data()).contains("\"2026-11-26\"");
            assertThat(second.metadata().userId()).contains("u");
            assertThat(codec.decode(stored(1, first))).isEqualTo(opened);
            assertThat(codec.decode(stored(2, second), AccountEvent.class)).isEqualTo(deposited);
        }

        @Test
        void unknown_fields_are_ignored() {
            NewEvent event = NewEvent.of("Closed", "{\"reason\":\"done\",\"addedLater\":1}");

            assertThat(codec.decode(stored(1, event))).isEqualTo(new Closed("done"));
        }

        @Test
        void an_unregistered_class_cannot_be_encoded() {
            assertThatThrownBy(() -> codec.encode(new Unrelated(1)))
                    .isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining(Unrelated.class.getName()).hasMessageContaining("not registered");
        }
    }

    @Nested
    class Failing_to_decode {

        @Test
        void an_unknown_type_names_the_type_and_the_position() {
            RecordedEvent unknown = stored(42, NewEvent.of("RenamedLongAgo", "{}"));

            EventDecodingException e = catchThrowableOfType(EventDecodingException.class, () -> codec.decode(unknown));

            assertThat(e.type()).isEqualTo("RenamedLongAgo");
            assertThat(e.position()).isEqualTo(Position.of(42));
            assertThat(e).hasMessage("cannot decode event of type 'RenamedLongAgo' at position 42: unknown event type (not registered)");
        }

        @Test
        void a_payload_that_does_not_fit_names_the_type_and_the_position() {
            RecordedEvent bad = stored(7, NewEvent.of("Deposited", "{\"amount\":\"lots\"}"));

            assertThatThrownBy(() -> codec.decode(bad))
                    .isInstanceOfSatisfying(EventDecodingException.class, e -> {
                        assertThat(e.type()).isEqualTo("Deposited");
                        assertThat(e.position()).isEqualTo(Position.of(7));
                    })
                    .hasMessageStartingWith("cannot decode event of type 'Deposited' at position 7:")
                    .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        }

        @Test
        void a_decoded_value_of_another_type_than_expected_names_both() {
            RecordedEvent event = stored(3, NewEvent.of("Closed", "{\"reason\":\"x\"}"));

            assertThatThrownBy(() -> codec.decode(event, Deposited.class))
                    .isInstanceOf(EventDecodingException.class)
                    .hasMessageContaining(Closed.class.getName()).hasMessageContaining(Deposited.class.getName());
        }

        @Test
        void a_bad_event_does_not_stop_the_events_after_it_from_decoding() {
            List<RecordedEvent> events = List.of(stored(1, codec.encode(new Closed("a"))),
                    stored(2, NewEvent.of("Mystery", "{}")), stored(3, codec.encode(new Closed("b"))));
            List<Object> decoded = new ArrayList<>();
            List<Position> failed = new ArrayList<>();

            for (RecordedEvent event : events) {
                try {
                    decoded.add(codec.decode(event));
                } catch (EventDecodingException e) {
                    failed.add(e.position());
                }
            }

            assertThat(decoded).containsExactly(new Closed("a"), new Closed("b"));
            assertThat(failed).containsExactly(Position.of(2));
        }
    }
}
