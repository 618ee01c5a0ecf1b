// SPDX-License-Identifier: Apache-2.0
package dev.factum.event.codec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import dev.factum.subscription.InMemoryCheckpointStore;
import dev.factum.subscription.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UpcasterTest {

    sealed interface AccountEvent {
    }

    /** Schema version 1 stored {"owner":"ada"}; version 2 {"ownerName":"ada"}; version 3 adds the currency. */
    record AccountOpened(String ownerName, String currency) implements AccountEvent {
    }

    /** Stored as "FundsAdded" {"value":"…"} at schema version 1; renamed and reshaped at version 2. */
    record MoneyDeposited(BigDecimal amount) implements AccountEvent {
    }

    record AccountClosed(String reason) implements AccountEvent {
    }

    private static final Upcaster OWNER_RENAMED = Upcaster.of("AccountOpened", 1, node -> {
        node.set("ownerName", node.remove("owner"));
        return node;
    });
    private static final Upcaster CURRENCY_ADDED = Upcaster.of("AccountOpened", 2, node -> node.put("currency", "EUR"));
    private static final Upcaster FUNDS_RENAMED = Upcaster.renaming("FundsAdded", 1, "MoneyDeposited", node -> {
        node.set("amount", node.remove("value"));
        return node;
    });

    private final EventCodec codec = EventCodec.builder().registerSealed(AccountEvent.class)
            .upcaster(OWNER_RENAMED).upcaster(CURRENCY_ADDED).upcaster(FUNDS_RENAMED).build();
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final StreamId account = StreamId.of("Account", "42");

    @AfterEach
    void close_the_store() {
        store.close();
    }

    /** An event as an old version of the application wrote it: raw JSON, stamped with an old schema version. */
    private static NewEvent old(String type, int schemaVersion, String data) {
        return new NewEvent(type, data, Metadata.create().withSchemaVersion(schemaVersion));
    }

    private void storeOldHistory() {
        store.append(account, ExpectedVersion.noStream(), List.of(
                old("AccountOpened", 1, "{\"owner\":\"ada\"}"),
                old("FundsAdded", 1, "{\"value\":\"19.99\"}"),
                old("AccountOpened", 2, "{\"ownerName\":\"bob\"}")));
    }

    @Nested
    class Reading_events_stored_in_an_old_shape {

        @Test
        void a_stream_read_back_decodes_to_the_current_records_through_a_two_step_chain_and_a_rename() {
            storeOldHistory();

            List<AccountEvent> events = store.readStream(account, ReadStreamOptions.forward()).stream()
                    .map(e -> codec.decode(e, AccountEvent.class)).toList();

            assertThat(events).containsExactly(new AccountOpened("ada", "EUR"),
                    new MoneyDeposited(new BigDecimal("19.99")), new AccountOpened("bob", "EUR"));
        }

        @Test
        void the_global_order_read_back_decodes_the_same_way() {
            storeOldHistory();

            List<Object> events = store.readAll(ReadAllOptions.fromStart()).stream().map(codec::decode).toList();

            assertThat(events).containsExactly(new AccountOpened("ada", "EUR"),
                    new MoneyDeposited(new BigDecimal("19.99")), new AccountOpened("bob", "EUR"));
        }

        @Test
        void a_subscription_whose_handler_decodes_with_the_codec_sees_the_upcast_events() {
            storeOldHistory();
            List<Object> seen = new CopyOnWriteArrayList<>();

            try (Subscription subscription = Subscription.builder("accounts", store, new InMemoryCheckpointStore())
                    .handler(batch -> batch.events().forEach(e -> seen.add(codec.decode(e))))
                    .build()) {
                subscription.start();
                store.append(account, ExpectedVersion.exactly(3), List.of(codec.encode(new AccountClosed("moved"))));
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);
            }

            assertThat(seen).containsExactly(new AccountOpened("ada", "EUR"), new MoneyDeposited(new BigDecimal("19.99")),
                    new AccountOpened("bob", "EUR"), new AccountClosed("moved"));
        }

        @Test
        void upcast_gives_the_event_in_its_current_shape_as_json_for_readers_that_keep_json() {
            storeOldHistory();
            List<RecordedEvent> stored = store.readStream(account, ReadStreamOptions.forward());

            RecordedEvent opened = codec.upcast(stored.get(0));
            RecordedEvent deposited = codec.upcast(stored.get(1));

            assertThat(opened.type()).isEqualTo("AccountOpened");
            assertThat(opened.data()).isEqualTo("{\"ownerName\":\"ada\",\"currency\":\"EUR\"}");
            assertThat(opened.metadata()).isEqualTo(stored.get(0).metadata().withSchemaVersion(3));
            assertThat(opened.position()).isEqualTo(stored.get(0).position());
            assertThat(deposited.type()).isEqualTo("MoneyDeposited");
            assertThat(deposited.data()).isEqualTo("{\"amount\":\"19.99\"}");
            assertThat(deposited.metadata().schemaVersion()).isEqualTo(2);
        }

        @Test
        void upcast_returns_an_event_no_upcaster_matches_as_it_is() {
            store.append(account, ExpectedVersion.noStream(), List.of(codec.encode(new AccountClosed("x"))));
            RecordedEvent closed = store.readStream(account, ReadStreamOptions.forward()).get(0);

            assertThat(codec.upcast(closed)).isSameAs(closed);
        }

        @Test
        void an_upcaster_gets_a_private_copy_and_the_metadata_at_its_schema_version() {
            List<Integer> versionsSeen = new ArrayList<>();
            EventCodec watching = EventCodec.builder().register("AccountClosed", AccountClosed.class)
                    .upcaster(Upcaster.of("AccountClosed", 1, (payload, metadata) -> {
                        versionsSeen.add(metadata.schemaVersion());
                        return payload.put("reason", payload.get("why").textValue());
                    }))
                    .upcaster(Upcaster.of("AccountClosed", 2, (payload, metadata) -> {
                        versionsSeen.add(metadata.schemaVersion());
                        return payload;
                    }))
                    .build();
            store.append(account, ExpectedVersion.noStream(), List.of(old("AccountClosed", 1, "{\"why\":\"moved\"}")));
            RecordedEvent stored = store.readStream(account, ReadStreamOptions.forward()).get(0);

            assertThat(watching.decode(stored)).isEqualTo(new AccountClosed("moved"));
            assertThat(watching.decode(stored)).isEqualTo(new AccountClosed("moved"));
            assertThat(versionsSeen).containsExactly(1, 2, 1, 2);
            assertThat(store.readStream(account, ReadStreamOptions.forward()).get(0).data()).isEqualTo("{\"why\":\"moved\"}");
        }
    }

    @Nested
    class Encoding {

        @Test
        void stamps_the_current_schema_version_derived_from_the_upcasters_so_new_events_are_never_upcast() {
            NewEvent opened = codec.encode(new AccountOpened("ada", "USD"), Metadata.create().withSchemaVersion(1));
            NewEvent deposited = codec.encode(new MoneyDeposited(BigDecimal.TEN));
            NewEvent closed = codec.encode(new AccountClosed("x"));
            store.append(account, ExpectedVersion.noStream(), List.of(opened, deposited, closed));

            assertThat(opened.metadata().schemaVersion()).isEqualTo(3);
            assertThat(deposited.metadata().schemaVersion()).isEqualTo(2);
            assertThat(closed.metadata().schemaVersion()).isEqualTo(1);
            List<RecordedEvent> read = store.readStream(account, ReadStreamOptions.forward());
            assertThat(read).allSatisfy(e -> assertThat(codec.upcast(e)).isSameAs(e));
            assertThat(read.stream().map(codec::decode).toList()).containsExactly(
                    new AccountOpened("ada", "USD"), new MoneyDeposited(BigDecimal.TEN), new AccountClosed("x"));
        }

        @Test
        void stamps_a_schema_version_given_at_registration() {
            EventCodec explicit = EventCodec.builder().register("AccountClosed", AccountClosed.class, 4).build();

            assertThat(explicit.schemaVersion("AccountClosed")).isEqualTo(4);
            assertThat(explicit.encode(new AccountClosed("x")).metadata().schemaVersion()).isEqualTo(4);
        }

        @Test
        void a_schema_version_given_at_registration_that_upcasters_would_still_upcast_is_refused() {
            assertThatThrownBy(() -> EventCodec.builder().register("AccountOpened", AccountOpened.class, 2)
                    .upcaster(OWNER_RENAMED).upcaster(CURRENCY_ADDED).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("event type 'AccountOpened' is registered at schema version 2, but an upcaster reads its"
                            + " schema version 2: it would upcast the events written now");
        }
    }

    @Nested
    class Registering {

        @Test
        void a_second_upcaster_for_the_same_type_and_schema_version_is_refused() {
            EventCodec.Builder builder = EventCodec.builder().upcaster(OWNER_RENAMED);

            assertThatThrownBy(() -> builder.upcaster(Upcaster.of("AccountOpened", 1, node -> node)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("an upcaster for event type 'AccountOpened' at schema version 1 is already registered");
        }

        @Test
        void an_upcaster_needs_a_type_name_and_a_schema_version_from_1() {
            assertThatThrownBy(() -> Upcaster.of(" ", 1, node -> node)).hasMessage("upcaster type is blank");
            assertThatThrownBy(() -> Upcaster.renaming("A", 1, "")).hasMessage("upcaster target type is blank");
            assertThatThrownBy(() -> Upcaster.of("A", 0, node -> node))
                    .hasMessageStartingWith("upcaster schema version must be >= 1");
        }
    }

    @Nested
    class Failing {

        private final EventCodec failing = EventCodec.builder().registerSealed(AccountEvent.class)
                .upcaster(Upcaster.of("AccountOpened", 1, node -> {
                    throw new IllegalStateException("boom");
                }))
                .upcaster(Upcaster.of("AccountClosed", 1, (payload, metadata) -> JsonNodeFactory.instance.arrayNode()))
                .build();

        @Test
        void an_upcaster_that_throws_names_type_schema_version_and_position_and_later_events_still_decode() {
            store.append(account, ExpectedVersion.noStream(), List.of(
                    old("MoneyDeposited", 2, "{\"amount\":\"1\"}"),
                    old("AccountOpened", 1, "{\"owner\":\"ada\"}"),
                    old("MoneyDeposited", 2, "{\"amount\":\"2\"}")));
            List<Object> decoded = new ArrayList<>();
            List<EventDecodingException> failed = new ArrayList<>();

            for (RecordedEvent e : store.readAll(ReadAllOptions.fromStart())) {
                try {
                    decoded.add(failing.decode(e));
                } catch (EventDecodingException error) {
                    failed.add(error);
                }
            }

            assertThat(decoded).containsExactly(new MoneyDeposited(BigDecimal.ONE), new MoneyDeposited(new BigDecimal("2")));
            assertThat(failed).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo("AccountOpened");
                assertThat(e.position()).isEqualTo(Position.of(2));
                assertThat(e).hasMessage("cannot decode event of type 'AccountOpened' at position 2: upcaster of"
                        + " 'AccountOpened' at schema version 1 threw java.lang.IllegalStateException: boom");
                assertThat(e).hasCauseInstanceOf(IllegalStateException.class);
            });
        }

        @Test
        void an_upcaster_that_returns_something_else_than_a_json_object_names_type_schema_version_and_position() {
            store.append(account, ExpectedVersion.noStream(), List.of(old("AccountClosed", 1, "{\"reason\":\"x\"}")));
            RecordedEvent stored = store.readStream(account, ReadStreamOptions.forward()).get(0);

            EventDecodingException e = catchThrowableOfType(EventDecodingException.class, () -> failing.decode(stored));

            assertThat(e).hasMessage("cannot decode event of type 'AccountClosed' at position 1: upcaster of"
                    + " 'AccountClosed' at schema version 1 returned a JSON array, not a JSON object");
            assertThatThrownBy(() -> failing.upcast(stored)).isInstanceOf(EventDecodingException.class)
                    .hasMessage(e.getMessage());
        }

        @Test
        void a_failure_in_a_later_step_names_that_step_and_the_stored_schema_version() {
            EventCodec laterFails = EventCodec.builder().registerSealed(AccountEvent.class).upcaster(OWNER_RENAMED)
                    .upcaster(Upcaster.of("AccountOpened", 2, node -> {
                        throw new IllegalArgumentException("no currency");
                    }))
                    .build();
            store.append(account, ExpectedVersion.noStream(), List.of(old("AccountOpened", 1, "{\"owner\":\"ada\"}")));
            RecordedEvent stored = store.readStream(account, ReadStreamOptions.forward()).get(0);

            assertThatThrownBy(() -> laterFails.decode(stored)).isInstanceOf(EventDecodingException.class)
                    .hasMessage("cannot decode event of type 'AccountOpened' at position 1: upcaster of 'AccountOpened'"
                            + " at schema version 2 threw java.lang.IllegalArgumentException: no currency"
                            + " (stored as schema version 1)");
        }

        @Test
        void an_upcast_payload_that_does_not_fit_the_record_names_the_version_it_reached() {
            EventCodec onlyFirstStep = EventCodec.builder().register("AccountClosed", AccountClosed.class)
                    .upcaster(Upcaster.of("AccountClosed", 1, node -> {
                        node.putObject("reason");
                        return node;
                    }))
                    .build();
            store.append(account, ExpectedVersion.noStream(), List.of(old("AccountClosed", 1, "{}")));
            RecordedEvent stored = store.readStream(account, ReadStreamOptions.forward()).get(0);

            assertThatThrownBy(() -> onlyFirstStep.decode(stored)).isInstanceOf(EventDecodingException.class)
                    .hasMessageStartingWith("cannot decode event of type 'AccountClosed' at position 1: after upcasting to"
                            + " 'AccountClosed' schema version 2:");
        }
    }
}
