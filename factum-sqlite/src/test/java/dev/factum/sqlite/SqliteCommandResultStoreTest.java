// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.FactumException;
import dev.factum.aggregate.Snapshot;
import dev.factum.command.Command;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.command.CommandInterceptors;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.command.CompletedCommand;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.subscription.Checkpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the conformance suites cannot say about the SQLite command result and snapshot stores: a real restart (the
 * store closed, the file opened again), rows really deleted by pruning, and the refusals.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteCommandResultStoreTest {
    record Deposited(String account, int run) {
    }

    record Deposit(String account) implements Command<Deposited> {
    }

    private final SqliteStoreFixture fixture = new SqliteStoreFixture();
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void close() {
        fixture.close();
    }

    private CommandBus bus(CommandResultStore results) {
        return CommandBus.builder()
                .handler(Deposit.class, (command, context) -> new Deposited(command.account(), runs.incrementAndGet()))
                .interceptor(CommandInterceptors.idempotency(results))
                .build();
    }

    @Test
    void after_the_store_is_closed_and_the_file_opened_again_a_resend_answers_the_first_result() {
        CommandContext context = CommandContext.create();
        Deposited first = bus(fixture.eventStore().commandResultStore()).send(new Deposit("a-1"), context);
        fixture.eventStore().close();

        SqliteEventStore reopened = fixture.open(fixture.config());
        Deposited again = bus(reopened.commandResultStore()).send(new Deposit("a-1"), context);

        assertThat(again).isEqualTo(first).isEqualTo(new Deposited("a-1", 1));
        assertThat(runs).hasValue(1);
    }

    @Test
    void a_snapshot_survives_closing_the_store() {
        StreamId stream = StreamId.of("Account", "a-1");
        Snapshot snapshot = new Snapshot(stream, 12, "fingerprint", "{\"balance\":12}");
        fixture.eventStore().snapshotStore().save(snapshot);
        fixture.eventStore().close();

        assertThat(fixture.open(fixture.config()).snapshotStore().load(stream)).contains(snapshot);
    }

    @Test
    void pruning_deletes_the_rows_from_the_file() throws SQLException {
        MovableClock clock = new MovableClock();
        SqliteCommandResultStore results = fixture.eventStore().commandResultStore(
                CommandResultOptions.defaults().withRetention(Duration.ofHours(1)).withClock(clock));
        for (int i = 0; i < 5; i++) results.save(new CompletedCommand(UUID.randomUUID(), "Deposit", new Deposited("a", i)));
        assertThat(rows()).isEqualTo(5);

        clock.now = clock.now.plus(Duration.ofHours(2));

        assertThat(results.prune()).isEqualTo(5);
        assertThat(rows()).isZero();
    }

    @Test
    void a_result_that_cannot_be_read_back_is_refused_and_nothing_is_recorded() {
        SqliteCommandResultStore results = fixture.eventStore().commandResultStore();
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> results.save(new CompletedCommand(id, "Deposit", new Object() {
        }))).isInstanceOf(FactumException.class).hasMessageContaining(id.toString());

        assertThat(results.find(id)).isEmpty();
    }

    @Test
    void claiming_inside_a_checkpoint_transaction_of_the_same_store_is_refused_instead_of_waiting_for_itself() {
        SqliteCommandResultStore results = fixture.eventStore().commandResultStore();

        assertThatThrownBy(() -> fixture.eventStore().checkpointStore().commit(
                new Checkpoint("projection", Position.of(1)), tx -> results.claim(UUID.randomUUID(), "Deposit")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would wait for itself");
    }

    @Test
    void a_bad_options_value_is_refused_naming_it() {
        assertThatThrownBy(() -> CommandResultOptions.defaults().withRetention(Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention")
                .hasMessageContaining("claim timeout");
    }

    private long rows() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fixture.config().file());
             Statement s = c.createStatement();
             ResultSet count = s.executeQuery("SELECT count(*) FROM command_results")) {
            count.next();
            return count.getLong(1);
        }
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
