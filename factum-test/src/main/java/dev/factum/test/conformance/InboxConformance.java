// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.FactumException;
import dev.factum.inbox.Inbox;
import dev.factum.inbox.InboxOptions;
import dev.factum.subscription.StoreTransaction;
import dev.factum.transport.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link Inbox} SPI: a message runs its work once per consumer, recorded in the same transaction as the work's
 * effect (where the store declares transactional checkpoints, a row written through the work's connection commits and
 * rolls back with the entry); a redelivery — also while the first delivery is still running, also through another
 * store instance — runs nothing; a failed work records nothing; entries survive a restart; pruning by age, by the
 * retention and by a position watermark removes exactly the entries it names. Time is an adjustable clock. Subclass it
 * once per store, overriding {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class InboxConformance extends StoreSuite {
    static final Duration RETENTION = Duration.ofHours(1);
    private static final String ONCE = "a message's work runs once per consumer, however often it is delivered";
    private static final String TOGETHER = "the inbox entry commits together with the work's effect, or neither does";
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private AdjustableClock clock;
    private InboxOptions options;
    private Inbox inbox;
    /** A consumer name no other test uses. */
    private String consumer;
    private long nextPosition = 1;

    @BeforeEach
    protected final void openInbox() {
        clock = new AdjustableClock(START);
        options = InboxOptions.defaults().withRetention(RETENTION).withClock(clock);
        inbox = fixture.inboxStore(options);
        consumer = "conformance-" + UUID.randomUUID();
    }

    private Message message() {
        return message(nextPosition++);
    }

    private static Message message(long position) {
        return new Message(UUID.randomUUID(), "Deposited", "Account-42", position, "corr-1", "cause-1",
                Optional.empty(), Optional.empty(), Message.JSON, "{\"amount\":10}", Map.of(), START);
    }

    private static boolean handle(Inbox inbox, String consumer, Message message, AtomicInteger runs) {
        return inbox.handleOnce(consumer, message, tx -> runs.incrementAndGet());
    }

    @Nested
    class Handling_once {

        @Test
        void a_new_message_runs_the_work_once_and_is_recorded() {
            Message message = message();
            AtomicInteger runs = new AtomicInteger();

            assertThat(handle(inbox, consumer, message, runs)).isTrue();

            assertThat(runs).hasValue(1);
            assertThat(inbox.contains(consumer, message.messageId())).isTrue();
        }

        @Test
        void a_redelivered_message_runs_nothing_and_answers_false() {
            Message message = message();
            AtomicInteger runs = new AtomicInteger();
            handle(inbox, consumer, message, runs);

            assertThat(handle(inbox, consumer, message, runs)).as(ONCE).isFalse();
            assertThat(handle(inbox, consumer, message, runs)).as(ONCE).isFalse();

            assertThat(runs).as(ONCE).hasValue(1);
        }

        @Test
        void an_unknown_message_is_not_contained() {
            assertThat(inbox.contains(consumer, UUID.randomUUID())).isFalse();
        }

        @Test
        void consumers_are_independent() {
            Message message = message();
            AtomicInteger runs = new AtomicInteger();

            assertThat(handle(inbox, consumer, message, runs)).isTrue();
            assertThat(handle(inbox, consumer + "-other", message, runs)).isTrue();

            assertThat(runs).hasValue(2);
            assertThat(inbox.contains(consumer + "-third", message.messageId())).isFalse();
        }

        @Test
        void messages_are_independent() {
            AtomicInteger runs = new AtomicInteger();

            assertThat(handle(inbox, consumer, message(), runs)).isTrue();
            assertThat(handle(inbox, consumer, message(), runs)).isTrue();

            assertThat(runs).hasValue(2);
        }

        @Test
        void work_that_throws_records_nothing_and_the_redelivery_runs_it_again() {
            Message message = message();
            IllegalStateException boom = new IllegalStateException("handler failed on purpose");

            assertThatThrownBy(() -> inbox.handleOnce(consumer, message, tx -> {
                throw boom;
            })).isSameAs(boom);

            assertThat(inbox.contains(consumer, message.messageId())).as(TOGETHER).isFalse();
            AtomicInteger runs = new AtomicInteger();
            assertThat(handle(inbox, consumer, message, runs)).isTrue();
            assertThat(runs).hasValue(1);
        }

        @Test
        void a_checked_exception_from_the_work_propagates_wrapped_with_its_cause() {
            Message message = message();
            IOException checked = new IOException("read model unavailable");

            assertThatThrownBy(() -> inbox.handleOnce(consumer, message, tx -> {
                throw checked;
            })).isInstanceOf(FactumException.class).hasRootCause(checked);

            assertThat(inbox.contains(consumer, message.messageId())).as(TOGETHER).isFalse();
        }

        @Test
        void a_blank_consumer_is_refused() {
            assertThatThrownBy(() -> inbox.handleOnce(" ", message(), tx -> {
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumer");
        }

        @Test
        void the_work_gets_a_connection_exactly_when_transactions_are_transactional() {
            AtomicReference<Optional<Connection>> seen = new AtomicReference<>();

            inbox.handleOnce(consumer, message(), tx -> seen.set(tx.connection()));

            assertThat(seen.get()).as("StoreTransaction.connection() when transactionalCheckpoints() is %s",
                            fixture.capabilities().transactionalCheckpoints())
                    .isNotNull()
                    .matches(c -> c.isPresent() == fixture.capabilities().transactionalCheckpoints());
        }

        @Test
        void an_entry_survives_a_restart() {
            Message message = message();
            handle(inbox, consumer, message, new AtomicInteger());

            Inbox restarted = fixture.openInboxStore(options);

            AtomicInteger runs = new AtomicInteger();
            if (fixture.capabilities().multipleInstances()) {
                assertThat(restarted.contains(consumer, message.messageId())).as("a durable inbox survives a restart")
                        .isTrue();
                assertThat(handle(restarted, consumer, message, runs)).as(ONCE).isFalse();
                assertThat(runs).as(ONCE).hasValue(0);
            } else {
                assertThat(restarted.contains(consumer, message.messageId())).as("an inbox of one process forgets")
                        .isFalse();
            }
        }
    }

    @Nested
    class Effects_written_through_the_transaction {
        private static final String TABLE = "conformance_inbox_effect";

        private static Connection connection(StoreTransaction tx) {
            return tx.connection().orElseThrow(() -> new AssertionError(
                    "transactionalCheckpoints() is true, so StoreTransaction.connection() must be present"));
        }

        /** Adds 1 to the effect counter {@code key} through the work's connection, creating table and row if needed. */
        private static void count(StoreTransaction tx, String key) throws SQLException {
            Connection c = connection(tx);
            try (Statement statement = c.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                        + " (effect_key VARCHAR(100) PRIMARY KEY, effect_count BIGINT NOT NULL)");
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE " + TABLE + " SET effect_count = effect_count + 1 WHERE effect_key = ?")) {
                update.setString(1, key);
                if (update.executeUpdate() > 0) return;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO " + TABLE + " (effect_key, effect_count) VALUES (?, 1)")) {
                insert.setString(1, key);
                insert.executeUpdate();
            }
        }

        /** Reads the counter inside an inbox transaction that is then rolled back on purpose: records nothing. */
        private Optional<Long> readCount(String key) {
            AtomicReference<Optional<Long>> value = new AtomicReference<>();
            RuntimeException rollback = new RuntimeException("rolled back on purpose after reading");
            assertThatThrownBy(() -> inbox.handleOnce(consumer + "-reader", message(), tx -> {
                count(tx, "conformance-table-exists");
                try (PreparedStatement select = connection(tx).prepareStatement(
                        "SELECT effect_count FROM " + TABLE + " WHERE effect_key = ?")) {
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
        void commit_together_with_the_entry() {
            Message message = message();
            if (!fixture.capabilities().transactionalCheckpoints()) {
                inbox.handleOnce(consumer, message, tx -> assertThat(tx.connection()).isEmpty());
                assertThat(inbox.contains(consumer, message.messageId())).isTrue();
                return;
            }
            String key = UUID.randomUUID().toString();

            inbox.handleOnce(consumer, message, tx -> count(tx, key));

            assertThat(inbox.contains(consumer, message.messageId())).isTrue();
            assertThat(readCount(key)).as(TOGETHER).contains(1L);
        }

        @Test
        void roll_back_together_with_the_entry_when_the_work_throws() {
            Message message = message();
            if (!fixture.capabilities().transactionalCheckpoints()) {
                assertThatThrownBy(() -> inbox.handleOnce(consumer, message, tx -> {
                    assertThat(tx.connection()).isEmpty();
                    throw new IllegalStateException("handler failed on purpose");
                })).isInstanceOf(IllegalStateException.class);
                assertThat(inbox.contains(consumer, message.messageId())).isFalse();
                return;
            }
            String key = UUID.randomUUID().toString();

            assertThatThrownBy(() -> inbox.handleOnce(consumer, message, tx -> {
                count(tx, key);
                throw new IllegalStateException("handler failed on purpose after writing");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(inbox.contains(consumer, message.messageId())).as(TOGETHER).isFalse();
            assertThat(readCount(key)).as(TOGETHER).isEmpty();
        }

        @Test
        void a_redelivery_writes_no_second_effect() {
            Message message = message();
            if (!fixture.capabilities().transactionalCheckpoints()) {
                AtomicInteger runs = new AtomicInteger();
                handle(inbox, consumer, message, runs);
                handle(inbox, consumer, message, runs);
                assertThat(runs).as(ONCE).hasValue(1);
                return;
            }
            String key = UUID.randomUUID().toString();

            for (int delivery = 0; delivery < 3; delivery++) inbox.handleOnce(consumer, message, tx -> count(tx, key));

            assertThat(readCount(key)).as(ONCE).contains(1L);
        }
    }

    @Nested
    class Concurrent_deliveries {

        /** The same store instance, or another one over the same database where the store has several. */
        private Inbox other() {
            return fixture.capabilities().multipleInstances() ? fixture.openInboxStore(options) : inbox;
        }

        @RepeatedTest(5)
        void of_one_message_run_the_work_exactly_once_also_across_instances() throws Exception {
            Inbox other = other();
            Message message = message();
            AtomicInteger runs = new AtomicInteger();
            List<Boolean> answers = new CopyOnWriteArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> deliveries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Inbox target = i % 2 == 0 ? inbox : other;
                deliveries.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        answers.add(handle(target, consumer, message, runs));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }

            start.countDown();
            for (Thread delivery : deliveries) assertThat(delivery.join(Duration.ofSeconds(30))).isTrue();

            assertThat(runs).as(ONCE).hasValue(1);
            assertThat(answers).as(ONCE).hasSize(8).containsOnlyOnce(true);
        }

        @Test
        void a_duplicate_arriving_while_the_first_runs_waits_for_it_then_runs_nothing() throws Exception {
            Inbox other = other();
            Message message = message();
            CountDownLatch firstRunning = new CountDownLatch(1);
            CountDownLatch finishFirst = new CountDownLatch(1);
            AtomicInteger runs = new AtomicInteger();
            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> inbox.handleOnce(consumer, message, tx -> {
                runs.incrementAndGet();
                firstRunning.countDown();
                assertThat(finishFirst.await(30, TimeUnit.SECONDS)).isTrue();
            }), Thread::startVirtualThread);
            assertThat(firstRunning.await(30, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(
                    () -> handle(other, consumer, message, runs), Thread::startVirtualThread);

            assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS))
                    .as("the duplicate must wait while the first delivery's transaction is open")
                    .isInstanceOf(TimeoutException.class);
            finishFirst.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.get(30, TimeUnit.SECONDS)).as(ONCE).isFalse();
            assertThat(runs).as(ONCE).hasValue(1);
        }

        @Test
        void a_duplicate_waiting_for_a_first_delivery_that_fails_runs_the_work_itself() throws Exception {
            Inbox other = other();
            Message message = message();
            CountDownLatch firstRunning = new CountDownLatch(1);
            CountDownLatch failFirst = new CountDownLatch(1);
            CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> inbox.handleOnce(consumer, message, tx -> {
                firstRunning.countDown();
                assertThat(failFirst.await(30, TimeUnit.SECONDS)).isTrue();
                throw new IllegalStateException("first delivery failed on purpose");
            }), Thread::startVirtualThread);
            assertThat(firstRunning.await(30, TimeUnit.SECONDS)).isTrue();
            AtomicInteger runs = new AtomicInteger();

            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(
                    () -> handle(other, consumer, message, runs), Thread::startVirtualThread);
            failFirst.countDown();

            assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalStateException.class);
            assertThat(second.get(30, TimeUnit.SECONDS)).as("a failed delivery leaves the message unhandled").isTrue();
            assertThat(runs).hasValue(1);
            assertThat(inbox.contains(consumer, message.messageId())).isTrue();
        }
    }

    @Nested
    class Pruning {

        @Test
        void by_age_removes_only_entries_handled_before_the_instant() {
            Message old = message();
            handle(inbox, consumer, old, new AtomicInteger());
            clock.advance(Duration.ofSeconds(10));
            Message recent = message();
            handle(inbox, consumer, recent, new AtomicInteger());

            assertThat(inbox.pruneHandledBefore(START.plusSeconds(10))).isEqualTo(1);

            assertThat(inbox.contains(consumer, old.messageId())).isFalse();
            assertThat(inbox.contains(consumer, recent.messageId())).as("handled exactly at the instant: kept").isTrue();
            assertThat(inbox.pruneHandledBefore(START.plusSeconds(10))).isZero();
        }

        @Test
        void expired_entries_go_after_the_retention_and_not_before() {
            Message message = message();
            handle(inbox, consumer, message, new AtomicInteger());

            clock.advance(RETENTION);
            assertThat(inbox.pruneExpired()).as("exactly as old as the retention: kept").isZero();
            assertThat(inbox.contains(consumer, message.messageId())).isTrue();

            clock.advance(Duration.ofSeconds(1));
            assertThat(inbox.pruneExpired()).isEqualTo(1);
            assertThat(inbox.contains(consumer, message.messageId())).isFalse();
        }

        @Test
        void a_message_redelivered_after_its_entry_was_pruned_runs_again() {
            Message message = message();
            AtomicInteger runs = new AtomicInteger();
            handle(inbox, consumer, message, runs);
            clock.advance(RETENTION.plusSeconds(1));
            inbox.pruneExpired();

            assertThat(handle(inbox, consumer, message, runs)).isTrue();

            assertThat(runs).hasValue(2);
        }

        @Test
        void by_position_removes_the_consumers_entries_up_to_the_watermark_inclusive() {
            String other = consumer + "-other";
            Message three = message(3);
            Message five = message(5);
            Message seven = message(7);
            for (Message m : List.of(three, five, seven)) handle(inbox, consumer, m, new AtomicInteger());
            handle(inbox, other, three, new AtomicInteger());

            assertThat(inbox.prunePositionsUpTo(consumer, 5)).isEqualTo(2);

            assertThat(inbox.contains(consumer, three.messageId())).isFalse();
            assertThat(inbox.contains(consumer, five.messageId())).isFalse();
            assertThat(inbox.contains(consumer, seven.messageId())).isTrue();
            assertThat(inbox.contains(other, three.messageId())).as("another consumer's entries stay").isTrue();
        }

        @Test
        void nothing_to_prune_removes_nothing() {
            assertThat(inbox.pruneHandledBefore(START.plus(Duration.ofDays(365)))).isZero();
            assertThat(inbox.pruneExpired()).isZero();
            assertThat(inbox.prunePositionsUpTo(consumer, Long.MAX_VALUE)).isZero();
        }
    }
}
