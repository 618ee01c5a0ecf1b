// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.aggregate.Snapshot;
import dev.factum.aggregate.SnapshotStore;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link SnapshotStore} SPI: the latest snapshot of each stream loads back exactly as saved (version, fingerprint,
 * state text), a snapshot never replaces one at a higher version — also when writers finish out of order — and a
 * second store instance over the same database (a restart, or another process) sees it. Subclass it once per store,
 * overriding {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class SnapshotStoreConformance extends StoreSuite {
    private static final String LATEST = "a snapshot never replaces one at a higher version";
    private static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private SnapshotStore snapshots;
    private StreamId stream;

    @BeforeEach
    protected final void openSnapshots() {
        snapshots = fixture.snapshotStore();
        stream = StreamId.of("Account", UUID.randomUUID().toString());
    }

    private Snapshot at(long version) {
        return new Snapshot(stream, version, FINGERPRINT, "{\"balance\":" + version + "}");
    }

    @Nested
    class Saving_and_loading {

        @Test
        void a_stream_without_a_snapshot_loads_empty() {
            assertThat(snapshots.load(stream)).isEmpty();
        }

        @Test
        void a_saved_snapshot_loads_back_exactly() {
            Snapshot saved = new Snapshot(stream, 42, FINGERPRINT,
                    "{\"owner\":\"Zoë ✓\",\"amount\":10.50,\"note\":\"tab\\there, quote \\\" and \\u0000\"}");

            snapshots.save(saved);

            assertThat(snapshots.load(stream)).contains(saved);
        }

        @Test
        void a_large_state_round_trips() {
            String big = "{\"lines\":[" + String.join(",", Collections.nCopies(20_000, "\"sku-0001\"")) + "]}";
            Snapshot saved = new Snapshot(stream, 3, FINGERPRINT, big);

            snapshots.save(saved);

            assertThat(snapshots.load(stream)).contains(saved);
        }

        @Test
        void streams_are_independent() {
            StreamId other = StreamId.of("Account", UUID.randomUUID().toString());
            snapshots.save(at(5));
            snapshots.save(new Snapshot(other, 2, FINGERPRINT, "{}"));

            assertThat(snapshots.load(stream)).contains(at(5));
            assertThat(snapshots.load(other)).contains(new Snapshot(other, 2, FINGERPRINT, "{}"));
            assertThat(snapshots.load(StreamId.of("Account", "never"))).isEmpty();
        }

        @Test
        void a_null_snapshot_or_stream_is_refused() {
            assertThatThrownBy(() -> snapshots.save(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> snapshots.load(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class The_latest_version_wins {

        @Test
        void a_higher_version_replaces_the_snapshot() {
            snapshots.save(at(5));
            snapshots.save(at(9));

            assertThat(snapshots.load(stream)).contains(at(9));
        }

        @Test
        void a_lower_version_is_ignored() {
            snapshots.save(at(9));
            snapshots.save(at(5));

            assertThat(snapshots.load(stream)).as(LATEST).contains(at(9));
        }

        @Test
        void the_same_version_replaces_it_as_a_state_class_that_changed_shape_writes_again() {
            snapshots.save(at(9));
            Snapshot reshaped = new Snapshot(stream, 9, "another-fingerprint", "{\"balance\":9,\"currency\":\"EUR\"}");

            snapshots.save(reshaped);

            assertThat(snapshots.load(stream)).contains(reshaped);
        }

        @RepeatedTest(3)
        void writers_finishing_out_of_order_leave_the_highest_version() throws Exception {
            List<Integer> versions = new ArrayList<>(IntStream.rangeClosed(1, 40).boxed().toList());
            Collections.shuffle(versions);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<Integer> mine = versions.subList(i * 10, i * 10 + 10);
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int version : mine) snapshots.save(at(version));
                }));
            }

            start.countDown();
            for (Thread writer : writers) writer.join(TimeUnit.SECONDS.toMillis(30));

            assertThat(snapshots.load(stream)).as(LATEST).contains(at(40));
        }
    }

    @Nested
    class Across_instances {

        @Test
        void a_snapshot_saved_by_one_instance_loads_in_another_as_after_a_restart() {
            snapshots.save(at(7));

            SnapshotStore restarted = fixture.openSnapshotStore();

            if (fixture.capabilities().multipleInstances()) {
                assertThat(restarted.load(stream)).as("a durable snapshot survives a restart").contains(at(7));
                restarted.save(at(3));
                assertThat(snapshots.load(stream)).as(LATEST).contains(at(7));
            } else {
                assertThat(restarted.load(stream)).as("a store of one process forgets on restart").isEmpty();
            }
        }
    }
}
