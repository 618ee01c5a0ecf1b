// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.event.NewEvent;
import dev.factum.inbox.InboxOptions;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.subscription.Checkpoint;
import dev.factum.transport.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQLite inbox shares the store's single writer connection: what that allows and refuses, and chunked pruning. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteInboxTest {
    private final SqliteStoreFixture fixture = new SqliteStoreFixture();
    private final SqliteEventStore store = fixture.eventStore();
    private final SqliteInbox inbox = store.inbox();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static Message message(long position) {
        return new Message(UUID.randomUUID(), "Deposited", "Account-1", position, "c", "c", Optional.empty(),
                Optional.empty(), Message.JSON, "{}", Map.of(), Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void appending_from_inside_the_work_is_refused_instead_of_waiting_for_itself_and_nothing_is_recorded() {
        Message message = message(1);

        assertThatThrownBy(() -> inbox.handleOnce("billing", message, tx -> store.append(StreamId.of("Account", "1"),
                ExpectedVersion.any(), List.of(NewEvent.of("Tested", "{}")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would wait for itself");

        assertThat(inbox.contains("billing", message.messageId())).isFalse();
        assertThat(store.streamVersion(StreamId.of("Account", "1"))).isZero();
    }

    @Test
    void handling_a_message_inside_a_checkpoint_transaction_of_the_same_store_is_refused() {
        assertThatThrownBy(() -> store.checkpointStore().commit(
                new Checkpoint("projection", Position.of(1)),
                tx -> inbox.handleOnce("billing", message(1), inner -> {
                })))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would wait for itself");

        assertThat(store.checkpointStore().load("projection")).isEmpty();
    }

    @Test
    void the_work_may_not_commit_the_transaction_connection() {
        Message message = message(1);

        assertThatThrownBy(() -> inbox.handleOnce("billing", message, tx -> tx.connection().orElseThrow().commit()))
                .hasMessageContaining("Connection.commit() is not allowed");

        assertThat(inbox.contains("billing", message.messageId())).isFalse();
    }

    @Test
    void pruning_more_entries_than_one_chunk_removes_them_all_in_several_transactions() throws SQLException {
        int entries = SqliteInbox.PRUNE_CHUNK * 2 + 17;
        long handledAt = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"));
        insertEntries("billing", entries, handledAt);
        Message recent = message(entries + 1L);
        Clock later = Clock.fixed(Instant.parse("2030-01-03T00:00:00Z"), ZoneOffset.UTC);
        store.inbox(InboxOptions.defaults().withClock(later)).handleOnce("billing", recent, tx -> {
        });

        assertThat(inbox.pruneHandledBefore(Instant.parse("2030-01-02T00:00:00Z"))).isEqualTo(entries);

        assertThat(count()).isEqualTo(1);
        assertThat(inbox.contains("billing", recent.messageId())).isTrue();
    }

    @Test
    void pruning_by_watermark_in_chunks_stops_at_the_watermark() throws SQLException {
        int entries = SqliteInbox.PRUNE_CHUNK + 10;
        insertEntries("billing", entries, 0);

        assertThat(inbox.prunePositionsUpTo("billing", SqliteInbox.PRUNE_CHUNK + 5))
                .isEqualTo(SqliteInbox.PRUNE_CHUNK + 5);

        assertThat(count()).isEqualTo(5);
    }

    /** Entries at positions 1..n, written straight into the file in one transaction. */
    private void insertEntries(String consumer, int n, long handledAt) throws SQLException {
        try (Connection c = raw()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO inbox (consumer, message_id, position, handled_at) VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= n; i++) {
                    insert.setString(1, consumer);
                    insert.setString(2, UUID.randomUUID().toString());
                    insert.setLong(3, i);
                    insert.setLong(4, handledAt);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
    }

    private long count() throws SQLException {
        try (Connection c = raw(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM inbox")) {
            r.next();
            return r.getLong(1);
        }
    }

    private Connection raw() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + fixture.config().file());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }
}
