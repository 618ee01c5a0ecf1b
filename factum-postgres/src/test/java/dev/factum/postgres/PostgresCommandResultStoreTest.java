// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.FactumException;
import dev.factum.aggregate.Snapshot;
import dev.factum.command.Command;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.command.CommandInterceptors;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.command.CompletedCommand;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the conformance suites cannot say about the PostgreSQL command result and snapshot stores: a real restart (the
 * store closed, a new one opened on the schema), rows really deleted by pruning, the column types, and the refusals.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresCommandResultStoreTest {
    record Deposited(String account, int run) {
    }

    record Deposit(String account) implements Command<Deposited> {
    }

    private PostgresStoreFixture fixture;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    void open() {
        fixture = new PostgresStoreFixture();
    }

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
    void after_the_store_is_closed_and_opened_again_a_resend_answers_the_first_result() {
        CommandContext context = CommandContext.create();
        PostgresEventStore first = fixture.open(StoreLimits.DEFAULT);
        Deposited answer = bus(first.commandResultStore()).send(new Deposit("a-1"), context);
        first.close();

        PostgresEventStore restarted = fixture.open(StoreLimits.DEFAULT);
        Deposited again = bus(restarted.commandResultStore()).send(new Deposit("a-1"), context);

        assertThat(again).isEqualTo(answer).isEqualTo(new Deposited("a-1", 1));
        assertThat(runs).hasValue(1);
    }

    @Test
    void a_snapshot_survives_closing_the_store() {
        StreamId stream = StreamId.of("Account", "a-1");
        Snapshot snapshot = new Snapshot(stream, 12, "fingerprint", "{\"balance\": 12,  \"b\":1}");
        PostgresEventStore first = fixture.open(StoreLimits.DEFAULT);
        first.snapshotStore().save(snapshot);
        first.close();

        assertThat(fixture.open(StoreLimits.DEFAULT).snapshotStore().load(stream))
                .as("the state text comes back byte for byte").contains(snapshot);
    }

    @Test
    void pruning_deletes_the_rows_from_the_schema() throws SQLException {
        MovableClock clock = new MovableClock();
        PostgresEventStore store = (PostgresEventStore) fixture.eventStore();
        PostgresCommandResultStore results = store.commandResultStore(
                CommandResultOptions.defaults().withRetention(Duration.ofHours(1)).withClock(clock));
        for (int i = 0; i < 5; i++) results.save(new CompletedCommand(UUID.randomUUID(), "Deposit", new Deposited("a", i)));
        assertThat(rows()).isEqualTo(5);

        clock.now = clock.now.plus(Duration.ofHours(2));

        assertThat(results.prune()).isEqualTo(5);
        assertThat(rows()).isZero();
    }

    @Test
    void a_result_that_cannot_be_read_back_is_refused_and_nothing_is_recorded() throws SQLException {
        PostgresCommandResultStore results = ((PostgresEventStore) fixture.eventStore()).commandResultStore();
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> results.save(new CompletedCommand(id, "Deposit", new Object() {
        }))).isInstanceOf(FactumException.class).hasMessageContaining(id.toString());

        assertThat(results.find(id)).isEmpty();
        assertThat(rows()).isZero();
    }

    private long rows() throws SQLException {
        try (Connection c = fixture.rawConnection(); Statement s = c.createStatement();
             ResultSet count = s.executeQuery("SELECT count(*) FROM \"" + fixture.schema() + "\".command_results")) {
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
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
