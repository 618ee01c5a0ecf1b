// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.inbox.Inbox;
import dev.factum.inbox.InboxOptions;
import dev.factum.store.StoreLimits;
import dev.factum.transport.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the PostgreSQL inbox keeps concurrent duplicates apart: the second delivery's insert waits on the first
 * transaction's uncommitted row (seen as a lock wait in {@code pg_stat_activity}), then does nothing — across two
 * store instances, as two processes would run them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresInboxTest {
    private PostgresStoreFixture fixture;

    @BeforeEach
    void open() {
        fixture = new PostgresStoreFixture();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private static Message message() {
        return new Message(UUID.randomUUID(), "Deposited", "Account-1", 1, "c", "c", Optional.empty(),
                Optional.empty(), Message.JSON, "{}", Map.of(), Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void a_duplicate_in_another_process_waits_on_the_first_delivery_s_row_then_runs_nothing() throws Exception {
        Inbox first = ((PostgresEventStore) fixture.eventStore()).inbox();
        Inbox second = fixture.open(StoreLimits.DEFAULT).inbox(InboxOptions.defaults());
        Message message = message();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Boolean> one = CompletableFuture.supplyAsync(() -> first.handleOnce("billing", message, tx -> {
            runs.incrementAndGet();
            running.countDown();
            assertThat(finish.await(30, TimeUnit.SECONDS)).isTrue();
        }), Thread::startVirtualThread);
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> two = CompletableFuture.supplyAsync(
                () -> second.handleOnce("billing", message, tx -> runs.incrementAndGet()), Thread::startVirtualThread);

        assertThat(waitForInboxInsertBlockedOnALock()).as("the duplicate's insert waits on the first one's row").isTrue();
        assertThat(two).isNotDone();
        finish.countDown();
        assertThat(one.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(two.get(30, TimeUnit.SECONDS)).isFalse();
        assertThat(runs).hasValue(1);
    }

    /** Polls (bounded) for a backend of this schema's pool whose INSERT into the inbox waits for a lock. */
    private boolean waitForInboxInsertBlockedOnALock() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (Connection c = fixture.rawConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'"
                        + " AND query LIKE 'INSERT INTO %inbox%'")) {
            select.setString(1, "factum-pool:" + fixture.schema());
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) return true;
                }
                Thread.sleep(20);
            }
        }
        return false;
    }
}
