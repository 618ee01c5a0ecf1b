// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.aggregate.Accounts.AccountCommand;
import dev.factum.aggregate.Accounts.AccountEvent;
import dev.factum.aggregate.Accounts.AccountState;
import dev.factum.aggregate.Accounts.AccountStateV2;
import dev.factum.aggregate.Accounts.Deposit;
import dev.factum.aggregate.Accounts.Open;
import dev.factum.event.Metadata;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SnapshotTest {
    private static final StreamId ACCOUNT_42 = StreamId.of("Account", "42");

    private final CountingEventStore store = new CountingEventStore();
    private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();

    @AfterEach
    void close() {
        store.close();
    }

    /** Opens account 42 and deposits 1 in each of {@code deposits} commands: version {@code 1 + deposits}. */
    private void openAndDeposit(Repository<AccountState, AccountEvent, AccountCommand> repository, int deposits) {
        repository.handle("42", new Open("ada"), Metadata.create());
        for (int i = 0; i < deposits; i++) repository.handle("42", new Deposit(BigDecimal.ONE), Metadata.create());
    }

    @Nested
    class Taking {
        @Test
        void a_snapshot_is_saved_once_n_events_follow_the_last_one() {
            var repository = Repository.of(Accounts.account(), store, RepositoryOptions.defaults().snapshots(snapshots, 3));

            openAndDeposit(repository, 1);
            assertThat(snapshots.load(ACCOUNT_42)).isEmpty();

            repository.handle("42", new Deposit(BigDecimal.ONE), Metadata.create());
            assertThat(snapshots.load(ACCOUNT_42)).hasValueSatisfying(s -> {
                assertThat(s.version()).isEqualTo(3);
                assertThat(s.fingerprint()).isEqualTo(StateFingerprint.of(AccountState.class));
                assertThat(s.state()).contains("\"owner\":\"ada\"");
            });

            repository.handle("42", new Deposit(BigDecimal.ONE), Metadata.create());
            repository.handle("42", new Deposit(BigDecimal.ONE), Metadata.create());
            assertThat(snapshots.load(ACCOUNT_42)).map(Snapshot::version).contains(3L);
            repository.handle("42", new Deposit(BigDecimal.ONE), Metadata.create());
            assertThat(snapshots.load(ACCOUNT_42)).map(Snapshot::version).contains(6L);
        }

        @Test
        void no_snapshot_is_taken_without_a_snapshot_store() {
            var repository = Repository.of(Accounts.account(), store, RepositoryOptions.defaults());
            openAndDeposit(repository, 5);
            store.resetCounts();

            repository.load("42");

            assertThat(store.lastFromVersion.get()).isEqualTo(1);
            assertThat(store.eventsRead.get()).isEqualTo(6);
        }

        @Test
        void a_failing_snapshot_store_does_not_fail_the_command() {
            SnapshotStore broken = new SnapshotStore() {
                @Override
                public void save(Snapshot snapshot) {
                    throw new IllegalStateException("disk full");
                }

                @Override
                public Optional<Snapshot> load(StreamId stream) {
                    throw new IllegalStateException("disk gone");
                }
            };
            var repository = Repository.of(Accounts.account(), store, RepositoryOptions.defaults().snapshots(broken, 1));

            openAndDeposit(repository, 2);

            assertThat(store.streamVersion(ACCOUNT_42)).isEqualTo(3);
            assertThat(repository.load("42").state().balance()).isEqualByComparingTo("2");
        }
    }

    @Nested
    class Loading {
        @Test
        void loads_the_snapshot_and_reads_only_the_events_after_it() {
            var repository = Repository.of(Accounts.account(), store, RepositoryOptions.defaults().snapshots(snapshots, 4));
            openAndDeposit(repository, 5); // version 6, snapshot at 4
            store.resetCounts();

            LoadedState<AccountState> loaded = repository.load("42");

            assertThat(store.lastFromVersion.get()).isEqualTo(5);
            assertThat(store.eventsRead.get()).isEqualTo(2);
            assertThat(loaded).isEqualTo(new LoadedState<>(ACCOUNT_42, new AccountState(true, "ada", new BigDecimal("5")), 6));
        }

        @Test
        void the_state_from_a_snapshot_equals_the_state_from_a_full_replay() {
            var withSnapshots = Repository.of(Accounts.account(), store, RepositoryOptions.defaults().snapshots(snapshots, 2));
            openAndDeposit(withSnapshots, 6);

            assertThat(withSnapshots.load("42")).isEqualTo(Repository.of(Accounts.account(), store).load("42"));
        }

        @Test
        void a_snapshot_taken_with_another_shape_of_the_state_class_is_ignored_and_the_stream_replayed() {
            var v1 = Repository.of(Accounts.account(), store, RepositoryOptions.defaults().snapshots(snapshots, 2));
            openAndDeposit(v1, 4); // version 5, snapshot at 4 with the AccountState shape
            assertThat(snapshots.load(ACCOUNT_42)).map(Snapshot::version).contains(4L);
            var v2 = Repository.of(Accounts.accountV2(), store, RepositoryOptions.defaults().snapshots(snapshots, 2));
            store.resetCounts();

            LoadedState<AccountStateV2> loaded = v2.load("42");

            assertThat(store.lastFromVersion.get()).isEqualTo(1);
            assertThat(store.eventsRead.get()).isEqualTo(5);
            assertThat(loaded.state()).isEqualTo(new AccountStateV2("ada", new BigDecimal("4"), 4));
            assertThat(loaded.version()).isEqualTo(5);
        }

        @Test
        void the_next_command_replaces_a_snapshot_of_another_shape_with_one_of_the_current_shape() {
            openAndDeposit(Repository.of(Accounts.account(), store, RepositoryOptions.defaults().snapshots(snapshots, 2)), 4);
            var v2 = Repository.of(Accounts.accountV2(), store, RepositoryOptions.defaults().snapshots(snapshots, 2));

            v2.handle("42", new Deposit(BigDecimal.ONE), Metadata.create());

            assertThat(snapshots.load(ACCOUNT_42)).hasValueSatisfying(s -> {
                assertThat(s.version()).isEqualTo(6);
                assertThat(s.fingerprint()).isEqualTo(StateFingerprint.of(AccountStateV2.class));
            });
            store.resetCounts();
            assertThat(v2.load("42").state()).isEqualTo(new AccountStateV2("ada", new BigDecimal("5"), 5));
            assertThat(store.lastFromVersion.get()).isEqualTo(7);
            assertThat(store.eventsRead.get()).isZero();
        }

        @Test
        void a_snapshot_that_cannot_be_read_is_ignored_and_the_stream_replayed() {
            var repository = Repository.of(Accounts.account(), store, RepositoryOptions.defaults().snapshots(snapshots, 100));
            openAndDeposit(repository, 2);
            snapshots.save(new Snapshot(ACCOUNT_42, 2, StateFingerprint.of(AccountState.class), "{not json"));
            store.resetCounts();

            LoadedState<AccountState> loaded = repository.load("42");

            assertThat(store.eventsRead.get()).isEqualTo(3);
            assertThat(loaded.state().balance()).isEqualByComparingTo("2");
        }
    }

    @Nested
    class InMemoryStore {
        @Test
        void keeps_the_snapshot_of_the_highest_version_per_stream() {
            snapshots.save(new Snapshot(ACCOUNT_42, 6, "f", "{}"));
            snapshots.save(new Snapshot(ACCOUNT_42, 3, "f", "{}"));
            snapshots.save(new Snapshot(StreamId.of("Account", "7"), 1, "f", "{}"));

            assertThat(snapshots.load(ACCOUNT_42)).map(Snapshot::version).contains(6L);
            assertThat(snapshots.load(StreamId.of("Account", "7"))).map(Snapshot::version).contains(1L);
            assertThat(snapshots.load(StreamId.of("Account", "8"))).isEmpty();
        }
    }
}
