// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.FactumException;
import dev.factum.store.Position;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;
import dev.factum.subscription.StoreTransaction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoints: load, save, overwrite, delete, independent names; and {@link CheckpointStore#commit}, which stores a
 * checkpoint only together with the work that reached it (invariant 4: no checkpoint moves past an event whose
 * effect was not durably applied). Where the store declares transactional checkpoints, a table written through the
 * work's connection commits and rolls back with the checkpoint. Subclass it once per store, overriding
 * {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class CheckpointStoreConformance extends StoreSuite {
    private static final String WITH_EFFECT = "invariant 4: a checkpoint commits together with the work that reached it";

    protected CheckpointStore checkpoints;
    /** A subscription name no other test uses. */
    protected String name;

    @BeforeEach
    protected final void openCheckpoints() {
        checkpoints = fixture.checkpointStore();
        name = "conformance-" + UUID.randomUUID();
    }

    private static Checkpoint at(String subscription, long position) {
        return new Checkpoint(subscription, Position.of(position));
    }

    @Nested
    class Loading_and_saving {

        @Test
        void a_subscription_without_a_checkpoint_loads_empty() {
            assertThat(checkpoints.load(name)).isEmpty();
        }

        @Test
        void a_saved_checkpoint_loads_back() {
            checkpoints.save(at(name, 42));

            assertThat(checkpoints.load(name)).contains(Position.of(42));
        }

        @Test
        void saving_again_overwrites() {
            checkpoints.save(at(name, 5));
            checkpoints.save(at(name, 9));

            assertThat(checkpoints.load(name)).contains(Position.of(9));
        }

        @Test
        void the_beginning_can_be_saved() {
            checkpoints.save(at(name, 0));

            assertThat(checkpoints.load(name)).contains(Position.BEGINNING);
        }

        @Test
        void large_positions_round_trip() {
            checkpoints.save(at(name, Long.MAX_VALUE));

            assertThat(checkpoints.load(name)).contains(Position.of(Long.MAX_VALUE));
        }

        @Test
        void names_are_independent() {
            String other = name + "-other";
            checkpoints.save(at(name, 3));
            checkpoints.save(at(other, 7));

            assertThat(checkpoints.load(name)).contains(Position.of(3));
            assertThat(checkpoints.load(other)).contains(Position.of(7));
            assertThat(checkpoints.load(name + "-unknown")).isEmpty();
        }

        @Test
        void a_blank_name_is_refused() {
            assertThatThrownBy(() -> checkpoints.load(" ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> checkpoints.delete("")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Deleting {

        @Test
        void forgets_the_checkpoint() {
            checkpoints.save(at(name, 3));

            checkpoints.delete(name);

            assertThat(checkpoints.load(name)).isEmpty();
        }

        @Test
        void leaves_other_subscriptions_alone() {
            checkpoints.save(at(name, 3));
            checkpoints.save(at(name + "-other", 4));

            checkpoints.delete(name);

            assertThat(checkpoints.load(name + "-other")).contains(Position.of(4));
        }

        @Test
        void a_missing_checkpoint_is_harmless() {
            checkpoints.delete(name);

            assertThat(checkpoints.load(name)).isEmpty();
        }

        @Test
        void then_saving_again_works() {
            checkpoints.save(at(name, 3));
            checkpoints.delete(name);
            checkpoints.save(at(name, 1));

            assertThat(checkpoints.load(name)).contains(Position.of(1));
        }
    }

    @Nested
    class Committing_with_work {

        @Test
        void runs_the_work_once_and_saves_the_checkpoint() {
            AtomicInteger runs = new AtomicInteger();

            checkpoints.commit(at(name, 12), tx -> runs.incrementAndGet());

            assertThat(runs).hasValue(1);
            assertThat(checkpoints.load(name)).contains(Position.of(12));
        }

        @Test
        void work_that_throws_saves_no_checkpoint_and_the_exception_propagates() {
            checkpoints.save(at(name, 5));
            IllegalStateException boom = new IllegalStateException("handler failed on purpose");

            assertThatThrownBy(() -> checkpoints.commit(at(name, 9), tx -> {
                throw boom;
            })).isSameAs(boom);

            assertThat(checkpoints.load(name)).as(WITH_EFFECT).contains(Position.of(5));
        }

        @Test
        void work_that_throws_on_a_first_checkpoint_leaves_none() {
            assertThatThrownBy(() -> checkpoints.commit(at(name, 9), tx -> {
                throw new IllegalStateException("handler failed on purpose");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(checkpoints.load(name)).as(WITH_EFFECT).isEmpty();
        }

        @Test
        void a_checked_exception_from_the_work_propagates_wrapped_with_its_cause() {
            IOException checked = new IOException("read model unavailable");

            assertThatThrownBy(() -> checkpoints.commit(at(name, 9), tx -> {
                throw checked;
            })).isInstanceOf(FactumException.class).hasRootCause(checked);

            assertThat(checkpoints.load(name)).as(WITH_EFFECT).isEmpty();
        }

        @Test
        void after_a_failed_commit_the_next_commit_works() {
            assertThatThrownBy(() -> checkpoints.commit(at(name, 9), tx -> {
                throw new IllegalStateException("handler failed on purpose");
            })).isInstanceOf(IllegalStateException.class);

            checkpoints.commit(at(name, 9), tx -> {
            });

            assertThat(checkpoints.load(name)).contains(Position.of(9));
        }

        @Test
        void the_work_gets_a_connection_exactly_when_checkpoints_are_transactional() {
            AtomicReference<Optional<Connection>> seen = new AtomicReference<>();

            checkpoints.commit(at(name, 1), tx -> seen.set(tx.connection()));

            assertThat(seen.get()).as("StoreTransaction.connection() when transactionalCheckpoints() is %s",
                    fixture.capabilities().transactionalCheckpoints())
                    .isNotNull()
                    .matches(c -> c.isPresent() == fixture.capabilities().transactionalCheckpoints());
        }
    }

    @Nested
    class Effects_written_through_the_transaction {

        private static final String TABLE = "conformance_effect";

        private void createTable(StoreTransaction tx) throws SQLException {
            try (Statement statement = connection(tx).createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                        + " (effect_key VARCHAR(100) PRIMARY KEY, effect_value BIGINT NOT NULL)");
            }
        }

        private void write(StoreTransaction tx, String key, long value) throws SQLException {
            try (PreparedStatement update = connection(tx).prepareStatement(
                    "UPDATE " + TABLE + " SET effect_value = ? WHERE effect_key = ?")) {
                update.setLong(1, value);
                update.setString(2, key);
                if (update.executeUpdate() > 0) return;
            }
            try (PreparedStatement insert = connection(tx).prepareStatement(
                    "INSERT INTO " + TABLE + " (effect_key, effect_value) VALUES (?, ?)")) {
                insert.setString(1, key);
                insert.setLong(2, value);
                insert.executeUpdate();
            }
        }

        private static Connection connection(StoreTransaction tx) {
            return tx.connection().orElseThrow(() -> new AssertionError(
                    "transactionalCheckpoints() is true, so StoreTransaction.connection() must be present"));
        }

        /** Reads the effect inside a checkpoint transaction that is then rolled back on purpose: no side effect. */
        private Optional<Long> readEffect(String key) {
            AtomicReference<Optional<Long>> value = new AtomicReference<>();
            RuntimeException rollback = new RuntimeException("rolled back on purpose after reading");
            assertThatThrownBy(() -> checkpoints.commit(at(name + "-reader", 1), tx -> {
                try (PreparedStatement select = connection(tx).prepareStatement(
                        "SELECT effect_value FROM " + TABLE + " WHERE effect_key = ?")) {
                    select.setString(1, key);
                    try (ResultSet rows = select.executeQuery()) {
                        value.set(rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty());
                    }
                }
                throw rollback;
            })).isSameAs(rollback);
            return value.get();
        }

        @Test
        void commit_together_with_the_checkpoint_or_the_connection_is_absent() {
            if (!fixture.capabilities().transactionalCheckpoints()) {
                checkpoints.commit(at(name, 4), tx -> assertThat(tx.connection()).isEmpty());
                assertThat(checkpoints.load(name)).contains(Position.of(4));
                return;
            }
            String key = UUID.randomUUID().toString();

            checkpoints.commit(at(name, 4), tx -> {
                createTable(tx);
                write(tx, key, 4);
            });

            assertThat(checkpoints.load(name)).contains(Position.of(4));
            assertThat(readEffect(key)).as(WITH_EFFECT).contains(4L);
        }

        @Test
        void roll_back_together_with_the_checkpoint_when_the_work_throws() {
            if (!fixture.capabilities().transactionalCheckpoints()) {
                assertThatThrownBy(() -> checkpoints.commit(at(name, 4), tx -> {
                    assertThat(tx.connection()).isEmpty();
                    throw new IllegalStateException("handler failed on purpose");
                })).isInstanceOf(IllegalStateException.class);
                assertThat(checkpoints.load(name)).isEmpty();
                return;
            }
            String key = UUID.randomUUID().toString();
            checkpoints.commit(at(name, 4), tx -> {
                createTable(tx);
                write(tx, key, 4);
            });
            IllegalStateException boom = new IllegalStateException("handler failed on purpose after writing");

            assertThatThrownBy(() -> checkpoints.commit(at(name, 9), tx -> {
                write(tx, key, 9);
                throw boom;
            })).isSameAs(boom);

            assertThat(checkpoints.load(name)).as(WITH_EFFECT).contains(Position.of(4));
            assertThat(readEffect(key)).as(WITH_EFFECT).contains(4L);
        }

        @Test
        void a_new_row_written_by_failing_work_does_not_survive() {
            if (!fixture.capabilities().transactionalCheckpoints()) {
                checkpoints.commit(at(name, 2), tx -> assertThat(tx.connection()).isEmpty());
                return;
            }
            checkpoints.commit(at(name + "-setup", 1), this::createTable);
            String key = UUID.randomUUID().toString();

            assertThatThrownBy(() -> checkpoints.commit(at(name, 2), tx -> {
                write(tx, key, 2);
                throw new IllegalStateException("handler failed on purpose after writing");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(readEffect(key)).as(WITH_EFFECT).isEmpty();
            assertThat(checkpoints.load(name)).as(WITH_EFFECT).isEmpty();
        }
    }
}
