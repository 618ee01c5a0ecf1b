// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StoreLimits;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Two store instances on one file, as two processes would open it: SQLite's write lock keeps the order gap-free. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteMultiInstanceTest {
    private static final int WRITERS_PER_INSTANCE = 8;
    private static final int APPENDS_PER_WRITER = 40;

    private final SqliteStoreFixture fixture = new SqliteStoreFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void two_instances_appending_concurrently_produce_one_gap_free_consistent_order() throws Exception {
        EventStore first = fixture.eventStore();
        EventStore second = fixture.openEventStore(StoreLimits.DEFAULT);
        Map<UUID, AppendResult> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> seenByReader = new ArrayList<>();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> reader = threads.submit(() -> follow(second, writing, seenByReader));
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2 * WRITERS_PER_INSTANCE; w++) {
                EventStore store = w % 2 == 0 ? first : second;
                int writer = w;
                writers.add(threads.submit(() -> write(store, writer, acknowledged)));
            }
            for (Future<?> writer : writers) writer.get();
            writing.set(false);
            reader.get();
        }

        List<RecordedEvent> all = first.readAll(ReadAllOptions.fromStart().limit(Integer.MAX_VALUE));
        long total = acknowledged.size();
        assertThat(all).extracting(e -> e.position().value())
                .as("positions are gap-free: 1..%d, each once, in order (ARCHITECTURE.md invariant 2)", total)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(seenByReader)
                .as("a reader following during the writes never skipped a position")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        for (RecordedEvent event : all) {
            AppendResult result = acknowledged.get(event.eventId());
            assertThat(result).as("every stored event was acknowledged to its writer").isNotNull();
            assertThat(event.position()).isEqualTo(result.firstPosition());
        }
        Map<StreamId, List<Long>> versions = all.stream().collect(Collectors.groupingBy(RecordedEvent::stream,
                Collectors.mapping(RecordedEvent::version, Collectors.toList())));
        versions.forEach((stream, list) -> assertThat(list).as("versions of %s are 1..n in position order", stream)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, list.size()).boxed().toList()));
        assertThat(second.streamVersion(StreamId.of("Shared", "1")))
                .isEqualTo(first.readStream(StreamId.of("Shared", "1"), ReadStreamOptions.backward().limit(1)).get(0).version());
    }

    @Test
    void a_reopened_store_sees_everything_committed_before_close() {
        SqliteEventStore store = fixture.eventStore();
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            NewEvent event = NewEvent.of("Tested", "{\"i\":" + i + "}");
            ids.add(event.eventId());
            store.append(StreamId.of("Account", Integer.toString(i % 3)), ExpectedVersion.any(), List.of(event));
        }
        store.close();

        SqliteEventStore reopened = fixture.open(fixture.config());

        List<RecordedEvent> all = reopened.readAll(ReadAllOptions.fromStart());
        assertThat(all).extracting(RecordedEvent::eventId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(reopened.headPosition()).isEqualTo(Position.of(20));
    }

    private static void write(EventStore store, int writer, Map<UUID, AppendResult> acknowledged) {
        for (int i = 0; i < APPENDS_PER_WRITER; i++) {
            StreamId stream = i % 2 == 0 ? StreamId.of("Shared", Integer.toString(i % 3))
                    : StreamId.of("Own", writer + "-" + i);
            NewEvent event = NewEvent.of("Tested", "{\"writer\":" + writer + ",\"i\":" + i + "}");
            acknowledged.put(event.eventId(), store.append(stream, ExpectedVersion.any(), List.of(event)));
        }
    }

    private static void follow(EventStore store, AtomicBoolean writing, List<Long> seen) {
        Position last = Position.BEGINNING;
        while (true) {
            boolean writersDone = !writing.get();
            List<RecordedEvent> batch = store.readAll(ReadAllOptions.after(last).limit(100));
            for (RecordedEvent event : batch) seen.add(event.position().value());
            if (!batch.isEmpty()) last = batch.get(batch.size() - 1).position();
            else if (writersDone) return;
        }
    }
}
