// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.aggregate.Accounts.AccountCommand;
import dev.factum.aggregate.Accounts.AccountEvent;
import dev.factum.aggregate.Accounts.AccountOpened;
import dev.factum.aggregate.Accounts.AccountState;
import dev.factum.aggregate.Accounts.Deposit;
import dev.factum.aggregate.Accounts.MoneyDeposited;
import dev.factum.aggregate.Accounts.Open;
import dev.factum.aggregate.Accounts.Touch;
import dev.factum.aggregate.Accounts.Withdraw;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.event.codec.EventDecodingException;
import dev.factum.event.codec.Upcaster;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import dev.factum.store.WrongExpectedVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RepositoryTest {
    private static final StreamId ACCOUNT_42 = StreamId.of("Account", "42");

    private final CountingEventStore store = new CountingEventStore();
    private final EventCodec codec = EventCodec.builder().registerSealed(AccountEvent.class).build();
    private final Aggregate<AccountState, AccountEvent, AccountCommand> account = Accounts.account();

    @AfterEach
    void close() {
        store.close();
    }

    private Repository<AccountState, AccountEvent, AccountCommand> repository(RepositoryOptions options) {
        return Repository.of(account, store, options);
    }

    private static BigDecimal eur(String amount) {
        return new BigDecimal(amount);
    }

    private NewEvent competingDeposit() {
        return codec.encode(new MoneyDeposited(eur("1")));
    }

    @Nested
    class Load {
        @Test
        void a_stream_without_events_loads_as_the_initial_state_at_version_zero() {
            LoadedState<AccountState> loaded = repository(RepositoryOptions.defaults()).load("42");

            assertThat(loaded).isEqualTo(new LoadedState<>(ACCOUNT_42, AccountState.INITIAL, 0));
            assertThat(loaded.exists()).isFalse();
            assertThat(loaded.expectedVersion()).isEqualTo(ExpectedVersion.noStream());
        }

        @Test
        void replays_the_stored_events_into_the_state_and_its_version() {
            store.append(ACCOUNT_42, ExpectedVersion.noStream(), List.of(
                    codec.encode(new AccountOpened("ada")), codec.encode(new MoneyDeposited(eur("10.50"))),
                    codec.encode(new Accounts.MoneyWithdrawn(eur("0.50")))));

            LoadedState<AccountState> loaded = repository(RepositoryOptions.defaults()).load("42");

            assertThat(loaded.state()).isEqualTo(new AccountState(true, "ada", eur("10.00")));
            assertThat(loaded.version()).isEqualTo(3);
            assertThat(loaded.exists()).isTrue();
            assertThat(loaded.expectedVersion()).isEqualTo(ExpectedVersion.exactly(3));
        }

        @Test
        void events_stored_in_an_old_shape_are_upcast_by_the_aggregate_codec() {
            store.append(ACCOUNT_42, ExpectedVersion.noStream(), List.of(
                    codec.encode(new AccountOpened("ada")), NewEvent.of("FundsAdded", "{\"amount\":3}")));
            var upcasting = Aggregate.builder("Account", AccountState.class, AccountEvent.class, AccountCommand.class)
                    .initialState(AccountState.INITIAL).evolve(Accounts::evolve).decide(Accounts::decide)
                    .codec(EventCodec.builder().registerSealed(AccountEvent.class)
                            .upcaster(Upcaster.renaming("FundsAdded", 1, "MoneyDeposited")).build())
                    .build();

            LoadedState<AccountState> loaded = Repository.of(upcasting, store).load("42");

            assertThat(loaded.state()).isEqualTo(new AccountState(true, "ada", eur("3")));
            assertThat(loaded.version()).isEqualTo(2);
        }

        @Test
        void an_event_that_cannot_be_decoded_raises_the_decoding_error() {
            store.append(ACCOUNT_42, ExpectedVersion.noStream(), List.of(NewEvent.of("AccountFrozen", "{}")));

            assertThatThrownBy(() -> repository(RepositoryOptions.defaults()).load("42"))
                    .isInstanceOf(EventDecodingException.class)
                    .satisfies(e -> assertThat(((EventDecodingException) e).type()).isEqualTo("AccountFrozen"));
        }
    }

    @Nested
    class Handle {
        @Test
        void a_command_on_a_new_stream_appends_its_events_expecting_no_stream() {
            HandledCommand<AccountState, AccountEvent> handled =
                    repository(RepositoryOptions.defaults()).handle("42", new Open("ada"), Metadata.create());

            assertThat(handled.events()).containsExactly(new AccountOpened("ada"));
            assertThat(handled.state()).isEqualTo(new AccountState(true, "ada", BigDecimal.ZERO));
            assertThat(handled.version()).isEqualTo(1);
            assertThat(handled.attempts()).isEqualTo(1);
            assertThat(handled.append()).hasValueSatisfying(a -> {
                assertThat(a.stream()).isEqualTo(ACCOUNT_42);
                assertThat(a.firstVersion()).isEqualTo(1);
                assertThat(a.lastVersion()).isEqualTo(1);
            });
            assertThat(store.streamVersion(ACCOUNT_42)).isEqualTo(1);
        }

        @Test
        void a_command_on_an_existing_stream_appends_after_the_loaded_version() {
            var repository = repository(RepositoryOptions.defaults());
            repository.handle("42", new Open("ada"), Metadata.create());

            HandledCommand<AccountState, AccountEvent> handled = repository.handle("42", new Deposit(eur("5")), Metadata.create());

            assertThat(handled.version()).isEqualTo(2);
            assertThat(handled.state().balance()).isEqualByComparingTo("5");
            assertThat(repository.load("42")).isEqualTo(new LoadedState<>(ACCOUNT_42, handled.state(), 2));
        }

        @Test
        void every_new_event_gets_the_handed_in_metadata_with_a_fresh_event_id() {
            var repository = repository(RepositoryOptions.defaults());
            Metadata metadata = Metadata.create().withCorrelationId("conversation-1").withCausationId("command-1")
                    .withUserId("ada").withHeader("tenant", "t-1");
            var twoEvents = Aggregate.builder("Account", AccountState.class, AccountEvent.class, AccountCommand.class)
                    .initialState(AccountState.INITIAL).evolve(Accounts::evolve)
                    .decide((s, c) -> List.of(new AccountOpened("ada"), new MoneyDeposited(eur("1"))))
                    .build();

            Repository.of(twoEvents, store, RepositoryOptions.defaults()).handle("42", new Open("ada"), metadata);

            List<RecordedEvent> recorded = store.readStream(ACCOUNT_42, ReadStreamOptions.forward());
            assertThat(recorded).hasSize(2).allSatisfy(e -> {
                assertThat(e.metadata().correlationId()).isEqualTo("conversation-1");
                assertThat(e.metadata().causationId()).isEqualTo("command-1");
                assertThat(e.metadata().userId()).contains("ada");
                assertThat(e.metadata().headers()).containsEntry("tenant", "t-1");
            });
            assertThat(recorded).extracting(RecordedEvent::eventId).doesNotHaveDuplicates()
                    .doesNotContain(metadata.eventId());
        }

        @Test
        void a_broken_rule_propagates_with_its_name_and_writes_nothing() {
            var repository = repository(RepositoryOptions.defaults());
            repository.handle("42", new Open("ada"), Metadata.create());

            assertThatThrownBy(() -> repository.handle("42", new Withdraw(eur("1")), Metadata.create()))
                    .isInstanceOf(RuleViolationException.class)
                    .hasMessageContaining("cannot withdraw 1")
                    .satisfies(e -> assertThat(((RuleViolationException) e).rule()).isEqualTo("insufficient-funds"));
            assertThat(store.streamVersion(ACCOUNT_42)).isEqualTo(1);
        }

        @Test
        void a_command_that_decides_no_events_appends_nothing() {
            var repository = repository(RepositoryOptions.defaults());
            repository.handle("42", new Open("ada"), Metadata.create());

            HandledCommand<AccountState, AccountEvent> handled = repository.handle("42", new Touch(), Metadata.create());

            assertThat(handled.events()).isEmpty();
            assertThat(handled.append()).isEmpty();
            assertThat(handled.version()).isEqualTo(1);
            assertThat(store.streamVersion(ACCOUNT_42)).isEqualTo(1);
        }

        @Test
        void a_concurrent_writer_makes_the_command_be_decided_again_on_the_new_state() {
            var repository = repository(RepositoryOptions.defaults().maxAttempts(3));
            repository.handle("42", new Open("ada"), Metadata.create());
            store.competeBeforeNextAppends(2, RepositoryTest.this::competingDeposit);

            HandledCommand<AccountState, AccountEvent> handled = repository.handle("42", new Deposit(eur("5")), Metadata.create());

            assertThat(handled.attempts()).isEqualTo(3);
            assertThat(handled.version()).isEqualTo(4);
            assertThat(handled.state().balance()).isEqualByComparingTo("7");
            assertThat(handled.append()).hasValueSatisfying(a -> assertThat(a.firstVersion()).isEqualTo(4));
            assertThat(repository.load("42").state()).isEqualTo(handled.state());
        }

        @Test
        void when_every_attempt_meets_a_concurrent_writer_the_last_conflict_propagates_and_nothing_of_the_command_is_written() {
            var repository = repository(RepositoryOptions.defaults().maxAttempts(2));
            repository.handle("42", new Open("ada"), Metadata.create());
            store.competeBeforeNextAppends(2, RepositoryTest.this::competingDeposit);

            assertThatThrownBy(() -> repository.handle("42", new Deposit(eur("5")), Metadata.create()))
                    .isInstanceOf(WrongExpectedVersionException.class)
                    .satisfies(e -> {
                        var conflict = (WrongExpectedVersionException) e;
                        assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(2));
                        assertThat(conflict.actual()).isEqualTo(3);
                    });
            assertThat(store.streamVersion(ACCOUNT_42)).isEqualTo(3);
            assertThat(repository.load("42").state().balance()).isEqualByComparingTo("2");
        }

        @Test
        void a_conflict_on_a_new_stream_is_retried_against_the_stream_the_other_writer_created() {
            var repository = repository(RepositoryOptions.defaults());
            store.competeBeforeNextAppends(1, () -> codec.encode(new AccountOpened("bob")));

            assertThatThrownBy(() -> repository.handle("42", new Open("ada"), Metadata.create()))
                    .isInstanceOf(RuleViolationException.class)
                    .satisfies(e -> assertThat(((RuleViolationException) e).rule()).isEqualTo("account-already-open"));
            assertThat(repository.load("42").state().owner()).isEqualTo("bob");
        }

        @Test
        void the_default_options_allow_three_attempts() {
            var repository = Repository.of(account, store);
            repository.handle("42", new Open("ada"), Metadata.create());
            store.competeBeforeNextAppends(3, RepositoryTest.this::competingDeposit);

            assertThatThrownBy(() -> repository.handle("42", new Deposit(eur("5")), Metadata.create()))
                    .isInstanceOf(WrongExpectedVersionException.class);
            assertThat(store.streamVersion(ACCOUNT_42)).isEqualTo(1 + RepositoryOptions.DEFAULT_MAX_ATTEMPTS);
        }
    }

    @Test
    void options_refuse_fewer_than_one_attempt_and_a_snapshot_interval_below_one() {
        assertThatThrownBy(() -> RepositoryOptions.defaults().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> RepositoryOptions.defaults().snapshots(new InMemorySnapshotStore(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshotEvery");
        assertThat(RepositoryOptions.defaults().snapshots(new InMemorySnapshotStore(), 5).withoutSnapshots().snapshotStore())
                .isEmpty();
    }

}
