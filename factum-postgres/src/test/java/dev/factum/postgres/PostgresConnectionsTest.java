// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;
import dev.factum.subscription.Subscription;
import dev.factum.subscription.SubscriptionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** LISTEN/NOTIFY between store instances, and recovery of the writer and LISTEN connections. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresConnectionsTest {
    private static final Duration NEVER_POLL = Duration.ofHours(1);

    private PostgresStoreFixture fixture;
    private PostgresEventStore store;

    @BeforeEach
    void open() {
        fixture = new PostgresStoreFixture();
        store = (PostgresEventStore) fixture.eventStore();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Nested
    class Notifications {

        @Test
        void a_commit_in_one_store_instance_wakes_a_subscription_of_another_that_never_polls() throws Exception {
            PostgresEventStore other = fixture.open(StoreLimits.DEFAULT);
            List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
            try (Subscription subscription = Subscription.builder("listener", other, other.checkpointStore())
                    .handler(batch -> seen.addAll(batch.events())).pollInterval(NEVER_POLL).build()) {
                subscription.start();
                await().until(() -> subscription.status().state() == SubscriptionStatus.State.LIVE);

                store.append(StreamId.of("Parcel", "1"), ExpectedVersion.noStream(), List.of(NewEvent.of("Shipped", "{}")));

                await().until(() -> seen.size() == 1);
            }
        }

        @Test
        void a_local_commit_runs_the_callbacks_of_its_own_store() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            try (AutoCloseable registration = store.onCommit(calls::incrementAndGet)) {
                store.append(StreamId.of("Parcel", "1"), ExpectedVersion.any(), List.of(NewEvent.of("Shipped", "{}")));
                assertThat(calls).as("signalled before the append returns").hasPositiveValue();
            }
        }

        @Test
        void the_listener_reconnects_after_its_connection_is_killed_and_wakes_subscriptions_again() throws Exception {
            PostgresEventStore other = fixture.open(StoreLimits.DEFAULT);
            List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
            try (Subscription subscription = Subscription.builder("listener", other, other.checkpointStore())
                    .handler(batch -> seen.addAll(batch.events())).pollInterval(NEVER_POLL).build()) {
                subscription.start();
                await().until(() -> subscription.status().state() == SubscriptionStatus.State.LIVE);

                assertThat(terminate("factum-listen:" + fixture.schema()))
                        .as("listener sessions killed").isEqualTo(2);
                await().until(() -> sessions("factum-listen:" + fixture.schema()) == 2);
                store.append(StreamId.of("Parcel", "2"), ExpectedVersion.any(), List.of(NewEvent.of("Shipped", "{}")));

                await().until(() -> seen.size() == 1);
            }
        }
    }

    @Nested
    class The_writer_connection {

        @Test
        void is_replaced_after_it_is_killed_and_the_next_append_succeeds_without_a_gap() throws Exception {
            store.append(StreamId.of("Parcel", "1"), ExpectedVersion.any(), List.of(NewEvent.of("Shipped", "{}")));
            assertThat(terminate("factum-writer:" + fixture.schema())).isEqualTo(1);

            store.append(StreamId.of("Parcel", "1"), ExpectedVersion.exactly(1), List.of(NewEvent.of("Delivered", "{}")));

            assertThat(store.readAll(ReadAllOptions.fromStart())).extracting(RecordedEvent::position)
                    .containsExactly(Position.of(1), Position.of(2));
        }
    }

    private long terminate(String application) throws SQLException {
        return query("SELECT count(pg_terminate_backend(pid))", application);
    }

    private long sessions(String application) throws SQLException {
        return query("SELECT count(*)", application);
    }

    private long query(String select, String application) throws SQLException {
        try (Connection c = fixture.rawConnection();
             PreparedStatement q = c.prepareStatement(select + " FROM pg_stat_activity WHERE application_name = ?")) {
            q.setString(1, application);
            try (ResultSet rows = q.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
