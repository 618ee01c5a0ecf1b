// SPDX-License-Identifier: Apache-2.0
package dev.factum.store.internal;

import dev.factum.event.NewEvent;
import dev.factum.store.AppendResult;
import dev.factum.store.EventStoreException;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.Position;
import dev.factum.store.StoreClosedException;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupCommitterTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Batches the writer was given, as lists of stream ids. */
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchMayCommit = new CountDownLatch(1);
    private final List<GroupCommitter> committers = new ArrayList<>();

    @AfterEach
    void closeCommitters() {
        firstBatchMayCommit.countDown();
        committers.forEach(GroupCommitter::close);
    }

    private static AppendRequest request(String id) {
        return new AppendRequest(StreamId.of("Order", id), ExpectedVersion.any(), List.of(NewEvent.of("Placed", "{}")));
    }

    private static AppendResult resultFor(AppendRequest request) {
        return new AppendResult(request.stream(), 1, 1, Position.of(1), Position.of(1));
    }

    /**
     * A writer that holds its first batch until released, fails every batch of more than one append that holds
     * {@code Order-poison} with {@code failure}, and fails {@code Order-poison} alone the same way.
     */
    private GroupCommitter committer(Exception failure) {
        GroupCommitter committer = new GroupCommitter("test", batch -> {
            batches.add(batch.stream().map(r -> r.stream().id()).toList());
            if (batches.size() == 1) firstBatchMayCommit.await(1, TimeUnit.MINUTES);
            if (batch.stream().anyMatch(r -> r.stream().id().equals("poison"))) throw failure;
            return batch.stream().<AppendPlanner.Outcome>map(r -> new AppendPlanner.AlreadyAppended(resultFor(r))).toList();
        }, 1000);
        committers.add(committer);
        return committer;
    }

    /** Submits from a thread of its own; the outcome (result or exception) lands in {@code outcomes}. */
    private Thread submitInBackground(GroupCommitter committer, AppendRequest request, Map<String, Object> outcomes) {
        return Thread.ofPlatform().name("submit-" + request.stream().id()).start(() -> {
            try {
                outcomes.put(request.stream().id(), committer.submit(request));
            } catch (Throwable t) {
                outcomes.put(request.stream().id(), t);
            }
        });
    }

    /** Until the thread parks waiting for its append's commit, i.e. its append is queued. */
    private static void awaitWaiting(Thread thread) {
        await().atMost(PATIENCE).until(() -> thread.getState() == Thread.State.WAITING);
    }

    @Test
    void a_lone_append_is_answered_after_its_batch_commits() {
        GroupCommitter committer = committer(new IOException("never"));
        firstBatchMayCommit.countDown();

        AppendRequest request = request("1");

        assertThat(committer.submit(request)).isEqualTo(resultFor(request));
        assertThat(batches).containsExactly(List.of("1"));
    }

    @Test
    void appends_waiting_together_are_committed_in_one_batch() throws InterruptedException {
        GroupCommitter committer = committer(new IOException("never"));
        Map<String, Object> outcomes = new ConcurrentHashMap<>();
        Thread first = submitInBackground(committer, request("first"), outcomes);
        await().atMost(PATIENCE).until(() -> batches.size() == 1);
        List<Thread> waiting = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            Thread t = submitInBackground(committer, request(id), outcomes);
            awaitWaiting(t);
            waiting.add(t);
        }

        firstBatchMayCommit.countDown();
        first.join(PATIENCE);
        for (Thread t : waiting) t.join(PATIENCE);

        assertThat(batches).containsExactly(List.of("first"), List.of("a", "b", "c"));
        assertThat(outcomes).containsOnlyKeys("first", "a", "b", "c")
                .allSatisfy((id, outcome) -> assertThat(outcome).isEqualTo(resultFor(request(id))));
    }

    @Test
    void when_a_batch_fails_as_a_whole_each_append_is_retried_alone_and_only_the_bad_one_fails() throws InterruptedException {
        IllegalStateException failure = new IllegalStateException("constraint violated by Order-poison");
        GroupCommitter committer = committer(failure);
        Map<String, Object> outcomes = new ConcurrentHashMap<>();
        Thread first = submitInBackground(committer, request("first"), outcomes);
        await().atMost(PATIENCE).until(() -> batches.size() == 1);
        List<Thread> waiting = new ArrayList<>();
        for (String id : List.of("a", "poison", "b")) {
            Thread t = submitInBackground(committer, request(id), outcomes);
            awaitWaiting(t);
            waiting.add(t);
        }

        firstBatchMayCommit.countDown();
        first.join(PATIENCE);
        for (Thread t : waiting) t.join(PATIENCE);

        assertThat(batches).containsExactly(List.of("first"), List.of("a", "poison", "b"),
                List.of("a"), List.of("poison"), List.of("b"));
        assertThat(outcomes.get("a")).isEqualTo(resultFor(request("a")));
        assertThat(outcomes.get("b")).isEqualTo(resultFor(request("b")));
        assertThat(outcomes.get("poison")).isSameAs(failure);
    }

    @Test
    void a_checked_failure_reaches_the_caller_as_an_event_store_exception_naming_the_stream() {
        IOException disk = new IOException("disk full");
        GroupCommitter committer = committer(disk);
        firstBatchMayCommit.countDown();

        assertThatThrownBy(() -> committer.submit(request("poison")))
                .isInstanceOf(EventStoreException.class)
                .hasMessageContaining("Order-poison").hasMessageContaining("disk full")
                .hasCause(disk);
    }

    @Test
    void a_refused_append_fails_only_its_caller() {
        WrongVersionWriter writer = new WrongVersionWriter();
        GroupCommitter committer = new GroupCommitter("test", writer, 1000);
        committers.add(committer);

        assertThatThrownBy(() -> committer.submit(request("refused"))).isSameAs(writer.refusal);
        assertThat(committer.submit(request("ok")).stream()).isEqualTo(StreamId.of("Order", "ok"));
    }

    private static final class WrongVersionWriter implements GroupCommitter.BatchWriter {
        final RuntimeException refusal = new dev.factum.store.WrongExpectedVersionException(
                StreamId.of("Order", "refused"), ExpectedVersion.noStream(), 3);

        @Override
        public List<AppendPlanner.Outcome> write(List<AppendRequest> batch) {
            return batch.stream().<AppendPlanner.Outcome>map(r -> r.stream().id().equals("refused")
                    ? new AppendPlanner.Refused(refusal) : new AppendPlanner.AlreadyAppended(resultFor(r))).toList();
        }
    }

    @Test
    void after_close_a_submit_fails_with_store_closed() {
        GroupCommitter committer = committer(new IOException("never"));
        firstBatchMayCommit.countDown();

        committer.close();

        assertThatThrownBy(() -> committer.submit(request("late")))
                .isInstanceOf(StoreClosedException.class).hasMessageContaining("test is closed");
    }

    @Test
    void close_commits_what_is_in_hand_and_refuses_what_comes_after_with_store_closed() throws InterruptedException {
        GroupCommitter committer = committer(new IOException("never"));
        Map<String, Object> outcomes = new ConcurrentHashMap<>();
        Thread inHand = submitInBackground(committer, request("in-hand"), outcomes);
        await().atMost(PATIENCE).until(() -> batches.size() == 1);
        Thread closer = Thread.ofPlatform().start(committer::close);
        await().atMost(PATIENCE).until(() -> closer.getState() == Thread.State.TIMED_WAITING);

        Thread late = submitInBackground(committer, request("late"), outcomes);
        late.join(PATIENCE);
        firstBatchMayCommit.countDown();
        inHand.join(PATIENCE);
        closer.join(PATIENCE);

        assertThat(outcomes.get("in-hand")).isEqualTo(resultFor(request("in-hand")));
        assertThat(outcomes.get("late")).isInstanceOf(StoreClosedException.class);
        assertThat(closer.isAlive()).isFalse();
    }

    @Test
    void closing_twice_is_harmless() {
        GroupCommitter committer = committer(new IOException("never"));
        firstBatchMayCommit.countDown();

        committer.close();
        committer.close();

        assertThatThrownBy(() -> committer.submit(request("late"))).isInstanceOf(StoreClosedException.class);
    }
}
