// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

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
import dev.factum.store.WrongExpectedVersionException;
import dev.factum.subscription.Subscription;
import dev.factum.subscription.SubscriptionStatus;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static dev.factum.test.conformance.TestEvents.ids;
import static dev.factum.test.conformance.TestEvents.newIds;
import static dev.factum.test.conformance.TestEvents.positions;
import static dev.factum.test.conformance.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many writers committing concurrently and out of order, over shared and distinct streams, while a live subscription
 * and a {@code readAll} poller read and the fixture's {@link StoreFixture#interferences()} make trouble. Checks
 * invariant 2 (every reader sees every committed event exactly once, in strictly increasing position, with no gap)
 * and optimistic concurrency under contention (exactly one winner per version of a shared stream). Repeated, to catch
 * races. Where the store supports several instances, half the writers use a second one. Subclass it once per store,
 * overriding {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ConcurrentWritersConformance extends StoreSuite {
    private static final String NEVER_SKIPS = "invariant 2: every committed event exactly once, in strictly increasing"
            + " position, never skipping one";
    private static final String ONE_WINNER = "optimistic concurrency: exactly one winning append per version of a stream";
    private static final int WRITERS = 16;
    private static final int SHARED_STREAMS = 2;
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    /** Rounds each writer makes; each round appends to its own stream and tries a shared one. */
    protected int roundsPerWriter() {
        return 80;
    }

    private record Success(AppendResult result, List<NewEvent> events) {
    }

    private record Loser(StreamId stream, ExpectedVersion expected, long seen, List<NewEvent> events,
                         WrongExpectedVersionException error) {
    }

    /** What everyone running concurrently records; checked after the run. */
    private static final class Run {
        final ConcurrentLinkedQueue<Success> successes = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Loser> losers = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        final List<RecordedEvent> subscribed = new CopyOnWriteArrayList<>();
        final List<RecordedEvent> polled = new ArrayList<>();
        final AtomicBoolean writing = new AtomicBoolean(true);

        void unexpected(String where, Throwable t) {
            unexpected.add(where + ": " + t);
        }
    }

    @RepeatedTest(value = 3, name = RepeatedTest.LONG_DISPLAY_NAME)
    void concurrent_writers_leave_a_gap_free_order_that_every_reader_sees_exactly_once(RepetitionInfo repetition)
            throws InterruptedException {
        EventStore main = fixture.eventStore();
        EventStore second = fixture.capabilities().multipleInstances() ? fixture.openEventStore(StoreLimits.DEFAULT) : main;
        String runId = UUID.randomUUID().toString().substring(0, 8);
        List<StreamId> shared = LongStream.range(0, SHARED_STREAMS)
                .mapToObj(i -> StreamId.of("Shared", i + "-" + runId)).toList();
        Run run = new Run();

        Subscription subscription = Subscription.builder("conformance-writers-" + runId, main, fixture.checkpointStore())
                .batchSize(97).pollInterval(Duration.ofMillis(50))
                .handler(batch -> run.subscribed.addAll(batch.events()))
                .build();
        subscription.start();
        List<Thread> background = new ArrayList<>();
        background.add(Thread.ofPlatform().name("conformance-poller").start(() -> poll(main, run)));
        int interference = 0;
        for (Runnable episode : fixture.interferences()) {
            background.add(Thread.ofPlatform().name("conformance-interference-" + interference++).start(() -> {
                while (run.writing.get()) {
                    try {
                        episode.run();
                    } catch (Throwable t) {
                        run.unexpected("interference", t);
                        return;
                    }
                }
            }));
        }

        CountDownLatch go = new CountDownLatch(1);
        CyclicBarrier contest = new CyclicBarrier(WRITERS);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            EventStore store = w % 2 == 1 ? second : main;
            int writer = w;
            long seed = repetition.getCurrentRepetition() * 1000L + w;
            writers.add(Thread.ofPlatform().name("conformance-writer-" + w).start(() -> {
                try {
                    go.await();
                    write(store, writer, runId, shared, new Random(seed), contest, run);
                } catch (Throwable t) {
                    run.unexpected("writer " + writer, t);
                } finally {
                    contest.reset(); // a writer that stops early must not leave the others waiting for it
                }
            }));
        }
        go.countDown();
        for (Thread writer : writers) assertThat(writer.join(PATIENCE)).as("writer finished").isTrue();
        run.writing.set(false);
        for (Thread thread : background) assertThat(thread.join(PATIENCE)).as("%s finished", thread.getName()).isTrue();

        List<RecordedEvent> all = readAll(main);
        try {
            await().atMost(PATIENCE).until(() -> run.subscribed.size() >= all.size()
                    || subscription.status().state() == SubscriptionStatus.State.FAILED);
        } finally {
            subscription.close();
        }

        System.out.printf("%s repetition %d: %d events by %d appends (%d to shared streams), %d refused with"
                        + " WrongExpectedVersionException, %d kinds of interference, %s%n",
                getClass().getSimpleName(), repetition.getCurrentRepetition(), all.size(), run.successes.size(),
                run.successes.stream().filter(s -> shared.contains(s.result().stream())).count(), run.losers.size(),
                fixture.interferences().size(), second == main ? "one store instance" : "two store instances");
        assertThat(run.unexpected).as("errors other than WrongExpectedVersionException").isEmpty();
        assertThat(run.losers).as("writers racing for one version of a shared stream must mostly lose").isNotEmpty();
        assertGapFreeOrder(all, run);
        assertEveryReaderSawEverythingOnce(all, run);
        assertEveryWinnerIsReadBack(main, run);
        assertOneWinnerPerVersion(main, shared, run);
    }

    /**
     * Each round: append to the writer's own stream, then read a shared stream's version and — once every writer has
     * read one — append to it with exactly that version, so most of them must lose.
     */
    private void write(EventStore store, int writer, String runId, List<StreamId> shared, Random random,
                       CyclicBarrier contest, Run run) throws Exception {
        StreamId own = StreamId.of("Own", writer + "-" + runId);
        long ownVersion = 0;
        for (int round = 0; round < roundsPerWriter(); round++) {
            List<NewEvent> mine = batch(writer, round, 1 + random.nextInt(3));
            try {
                AppendResult result = store.append(own, ownVersion == 0 ? ExpectedVersion.noStream()
                        : ExpectedVersion.exactly(ownVersion), mine);
                run.successes.add(new Success(result, mine));
                ownVersion = result.lastVersion();
            } catch (RuntimeException e) {
                run.unexpected("writer " + writer + " on its own stream " + own, e);
                return;
            }
            StreamId target = shared.get(random.nextInt(shared.size()));
            long seen = store.streamVersion(target);
            contest.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            ExpectedVersion expected = seen == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(seen);
            List<NewEvent> contested = batch(writer, round, 1 + random.nextInt(2));
            try {
                run.successes.add(new Success(store.append(target, expected, contested), contested));
            } catch (WrongExpectedVersionException e) {
                run.losers.add(new Loser(target, expected, seen, contested, e));
            }
        }
    }

    private static List<NewEvent> batch(int writer, int round, int size) {
        List<NewEvent> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(NewEvent.of("Written", "{\"writer\":" + writer + ",\"round\":" + round + ",\"i\":" + i + "}"));
        }
        return events;
    }

    /**
     * Reads the global order after its last position until the writers are done and it is caught up. Between empty
     * reads it waits for the store's commit signal (or 10 ms, for commits of another instance).
     */
    private static void poll(EventStore store, Run run) {
        Semaphore committed = new Semaphore(0);
        Position last = Position.BEGINNING;
        try (AutoCloseable registration = store.onCommit(committed::release)) {
            while (true) {
                boolean writersDone = !run.writing.get();
                List<RecordedEvent> page = store.readAll(ReadAllOptions.after(last).limit(113));
                if (page.isEmpty()) {
                    if (writersDone) return;
                    committed.tryAcquire(10, TimeUnit.MILLISECONDS);
                    committed.drainPermits();
                    continue;
                }
                if (!page.get(0).position().isAfter(last)) {
                    run.unexpected("readAll poller", new AssertionError("readAll after position " + last
                            + " returned position " + page.get(0).position() + "; after is exclusive"));
                    return;
                }
                run.polled.addAll(page);
                last = page.get(page.size() - 1).position();
            }
        } catch (Throwable t) {
            run.unexpected("readAll poller", t);
        }
    }

    private static void assertGapFreeOrder(List<RecordedEvent> all, Run run) {
        int committed = run.successes.stream().mapToInt(s -> s.events().size()).sum();
        assertThat(all).as("every acknowledged event is stored, nothing else").hasSize(committed);
        assertThat(positions(all)).as(NEVER_SKIPS)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
        Set<UUID> acknowledged = new HashSet<>();
        run.successes.forEach(s -> acknowledged.addAll(newIds(s.events())));
        assertThat(new HashSet<>(ids(all))).as("the stored events are exactly the acknowledged ones")
                .isEqualTo(acknowledged);
        Set<UUID> refused = new HashSet<>();
        run.losers.forEach(l -> refused.addAll(newIds(l.events())));
        assertThat(ids(all)).as("no event of a refused append is visible").doesNotContainAnyElementsOf(refused);
    }

    private static void assertEveryReaderSawEverythingOnce(List<RecordedEvent> all, Run run) {
        assertThat(positions(run.subscribed)).as("subscription: " + NEVER_SKIPS).containsExactlyElementsOf(positions(all));
        assertThat(ids(run.subscribed)).as("subscription: " + NEVER_SKIPS).containsExactlyElementsOf(ids(all));
        assertThat(positions(run.polled)).as("readAll poller: " + NEVER_SKIPS).containsExactlyElementsOf(positions(all));
        assertThat(ids(run.polled)).as("readAll poller: " + NEVER_SKIPS).containsExactlyElementsOf(ids(all));
    }

    private static void assertEveryWinnerIsReadBack(EventStore store, Run run) {
        for (Success success : run.successes) {
            AppendResult result = success.result();
            List<RecordedEvent> read = store.readStream(result.stream(),
                    ReadStreamOptions.forward().fromVersion(result.firstVersion()).limit(success.events().size()));
            assertThat(ids(read)).as("the events of %s are read back at its versions", result)
                    .containsExactlyElementsOf(newIds(success.events()));
            assertThat(read.get(0).version()).isEqualTo(result.firstVersion());
            assertThat(read.get(read.size() - 1).version()).isEqualTo(result.lastVersion());
            assertThat(read.get(0).position()).as("first position of %s", result).isEqualTo(result.firstPosition());
            assertThat(read.get(read.size() - 1).position()).as("last position of %s", result).isEqualTo(result.lastPosition());
        }
    }

    private static void assertOneWinnerPerVersion(EventStore store, List<StreamId> shared, Run run) {
        Map<StreamId, List<AppendResult>> winners = new HashMap<>();
        run.successes.stream().map(Success::result).filter(r -> shared.contains(r.stream()))
                .forEach(r -> winners.computeIfAbsent(r.stream(), s -> new ArrayList<>()).add(r));
        for (StreamId stream : shared) {
            List<RecordedEvent> events = store.readStream(stream, ReadStreamOptions.forward());
            assertThat(TestEvents.versions(events)).as(ONE_WINNER + ": versions of %s are 1..n", stream)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
            List<AppendResult> sorted = winners.getOrDefault(stream, List.of()).stream()
                    .sorted(Comparator.comparingLong(AppendResult::firstVersion)).toList();
            long next = 1;
            for (AppendResult winner : sorted) {
                assertThat(winner.firstVersion()).as(ONE_WINNER + ": %s", winner).isEqualTo(next);
                next = winner.lastVersion() + 1;
            }
            assertThat(next - 1).as(ONE_WINNER + ": the winners of %s cover it", stream).isEqualTo(events.size());
        }
        for (Loser loser : run.losers) {
            assertThat(loser.error().stream()).isEqualTo(loser.stream());
            assertThat(loser.error().expected()).isEqualTo(loser.expected());
            assertThat(loser.error().actual()).as("a loser lost to a later version than it saw").isGreaterThan(loser.seen());
        }
    }
}
