// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.StreamId;
import dev.factum.subscription.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresSecondProcessTest {
    private static final int PER_PROCESS = 600;

    private PostgresStoreFixture fixture;
    private ExecutorService executor;

    @BeforeEach
    void open() {
        fixture = new PostgresStoreFixture();
        executor = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        fixture.close();
    }

    @Test
    void a_subscription_sees_every_event_of_two_processes_appending_at_once_once_and_in_order_without_gaps() throws Exception {
        PostgresEventStore store = (PostgresEventStore) fixture.eventStore();
        List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
        try (Subscription subscription = Subscription.builder("follower", store, store.checkpointStore())
                .handler(batch -> seen.addAll(batch.events())).pollInterval(Duration.ofMillis(200)).build()) {
            subscription.start();
            Path log = Files.createTempFile("factum-second-process", ".log");
            Process other = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                    AppendingProcess.class.getName(), fixture.jdbcUrl(), fixture.schema(), Integer.toString(PER_PROCESS))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            List<Future<?>> local = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                local.add(executor.submit(() -> {
                    for (int i = 0; i < PER_PROCESS / 4; i++) {
                        store.append(StreamId.of("Local", writer + "-" + (i % 3)), ExpectedVersion.any(),
                                List.of(NewEvent.of("Kept", "{\"n\":" + i + "}")));
                    }
                    return null;
                }));
            }
            for (Future<?> f : local) f.get(120, TimeUnit.SECONDS);
            assertThat(other.waitFor(120, TimeUnit.SECONDS)).as("the second process finished").isTrue();
            assertThat(other.exitValue()).as("second process output:%n%s", Files.readString(log)).isZero();

            await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= 2 * PER_PROCESS);
        }

        List<Long> positions = seen.stream().map(e -> e.position().value()).toList();
        assertThat(positions).as("invariant 2: every committed event once, in position order, no gaps, across processes")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * PER_PROCESS).boxed().toList());
        assertThat(seen.stream().map(RecordedEvent::eventId).distinct().count()).isEqualTo(2L * PER_PROCESS);
        assertThat(seen.stream().filter(e -> e.stream().category().equals("Remote")).count())
                .as("events appended by the other process").isEqualTo(PER_PROCESS);
        for (int s = 0; s < 10; s++) {
            StreamId stream = StreamId.of("Remote", Integer.toString(s));
            assertThat(seen.stream().filter(e -> e.stream().equals(stream)).map(RecordedEvent::version).toList())
                    .as("versions of %s", stream).isEqualTo(LongStream.rangeClosed(1, PER_PROCESS / 10).boxed().toList());
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
