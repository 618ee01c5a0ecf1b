// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import dev.factum.transport.Message;
import dev.factum.transport.MessageHeaders;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Replays requested from a process where the consumer does not run (the command line): the request, the round that
 * replays requested letters of the consumers registered here, and the background replayer.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeadLettersReplayRequestTest {
    private final ManualClock clock = new ManualClock();
    private final ObservedStore store = new ObservedStore();
    /** Where the command line runs: no consumer registered. */
    private final DeadLetters operator = new DeadLetters(store, clock);
    /** Where consumer "ledger" runs. */
    private final DeadLetters worker = new DeadLetters(store, clock);
    private final List<Message> handled = new CopyOnWriteArrayList<>();

    DeadLettersReplayRequestTest() {
        worker.register("ledger", handled::add);
    }

    /** A parked letter of {@code consumer} for a readable message, dead {@code minutesAgo} before the clock's start. */
    private DeadLetter park(String consumer, int minutesAgo) {
        Instant deadAt = ManualClock.START.minus(Duration.ofMinutes(minutesAgo));
        Message message = new Message(UUID.randomUUID(), "Deposited", "Account-" + minutesAgo, 1 + minutesAgo,
                "corr", "cause", Optional.empty(), Optional.empty(), Message.JSON, "{\"amount\":" + minutesAgo + "}",
                Map.of(), deadAt);
        DeadLetter letter = DeadLetter.park(consumer, MessageHeaders.encode(message), message.body(),
                new IllegalStateException("ledger down"), List.of(new Attempt(1, deadAt, "IllegalStateException: ledger down")),
                deadAt);
        store.add(letter);
        return letter;
    }

    private DeadLetterState state(DeadLetter letter) {
        return store.find(letter.id()).orElseThrow().state();
    }

    @Nested
    class requesting_a_replay {

        @Test
        void moves_a_parked_letter_to_replay_requested_with_the_time_and_replays_nothing() {
            DeadLetter letter = park("ledger", 5);
            clock.advance(Duration.ofMinutes(1));

            DeadLetter requested = operator.requestReplay(letter.id());

            assertThat(requested.state()).isEqualTo(DeadLetterState.REPLAY_REQUESTED);
            assertThat(requested.replayRequestedAt()).contains(clock.instant());
            assertThat(requested.attempts()).isEqualTo(letter.attempts());
            assertThat(operator.inspect(letter.id())).isEqualTo(requested);
            assertThat(handled).isEmpty();
        }

        @Test
        void of_a_letter_waiting_for_its_replay_or_resolved_is_refused_naming_its_state() {
            DeadLetter requested = park("ledger", 1);
            DeadLetter discarded = park("ledger", 2);
            operator.requestReplay(requested.id());
            operator.discard(discarded.id(), "duplicate");

            assertThatThrownBy(() -> operator.requestReplay(requested.id())).isInstanceOf(IllegalStateException.class)
                    .hasMessage("a replay of dead letter " + requested.id() + " is already requested");
            assertThatThrownBy(() -> operator.requestReplay(discarded.id())).isInstanceOf(IllegalStateException.class)
                    .hasMessage("dead letter " + discarded.id() + " is already discarded");
        }

        @Test
        void of_an_unknown_letter_is_refused_by_id() {
            UUID unknown = UUID.randomUUID();

            assertThatThrownBy(() -> operator.requestReplay(unknown)).isInstanceOf(DeadLetterNotFoundException.class)
                    .hasMessage("no dead letter " + unknown);
        }

        @Test
        void leaves_the_letter_open_to_a_direct_replay_and_to_a_discard() {
            DeadLetter replayed = park("ledger", 1);
            DeadLetter discarded = park("ledger", 2);
            operator.requestReplay(replayed.id());
            operator.requestReplay(discarded.id());

            assertThat(worker.replay(replayed.id()).state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(operator.discard(discarded.id(), "not needed").state()).isEqualTo(DeadLetterState.DISCARDED);
            assertThat(handled).hasSize(1);
        }
    }

    @Nested
    class replaying_requested_letters {

        @Test
        void hands_the_requested_letters_of_registered_consumers_over_oldest_first_and_resolves_them() {
            DeadLetter older = park("ledger", 20);
            DeadLetter newer = park("ledger", 10);
            operator.requestReplay(newer.id());
            operator.requestReplay(older.id());
            clock.advance(Duration.ofMinutes(1));

            DeadLetters.ReplayRound round = worker.replayRequested();

            assertThat(round.replayed()).containsExactly(older.id(), newer.id());
            assertThat(round.failed()).isEmpty();
            assertThat(handled).extracting(Message::body).containsExactly("{\"amount\":20}", "{\"amount\":10}");
            DeadLetter resolved = store.find(older.id()).orElseThrow();
            assertThat(resolved.state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(resolved.resolution()).contains("replayed to ledger");
            assertThat(resolved.resolvedAt()).contains(clock.instant());
        }

        @Test
        void leaves_parked_letters_and_letters_of_consumers_running_elsewhere_alone() {
            DeadLetter parked = park("ledger", 1);
            DeadLetter elsewhere = park("mailer", 2);
            operator.requestReplay(elsewhere.id());

            DeadLetters.ReplayRound round = worker.replayRequested();

            assertThat(round.isEmpty()).isTrue();
            assertThat(state(parked)).isEqualTo(DeadLetterState.PARKED);
            assertThat(state(elsewhere)).as("left for the process that runs 'mailer'")
                    .isEqualTo(DeadLetterState.REPLAY_REQUESTED);
            assertThat(handled).isEmpty();
        }

        @Test
        void parks_a_letter_whose_consumer_fails_again_with_the_attempt_and_goes_on_with_the_others() {
            DeadLetter failing = park("ledger", 20);
            DeadLetter fine = park("ledger", 10);
            worker.register("ledger", message -> {
                if (message.body().contains("20")) throw new IllegalStateException("still down");
                handled.add(message);
            });
            operator.requestReplay(failing.id());
            operator.requestReplay(fine.id());
            clock.advance(Duration.ofMinutes(1));

            DeadLetters.ReplayRound round = worker.replayRequested();

            assertThat(round.failed()).containsExactly(failing.id());
            assertThat(round.replayed()).containsExactly(fine.id());
            DeadLetter parkedAgain = store.find(failing.id()).orElseThrow();
            assertThat(parkedAgain.state()).isEqualTo(DeadLetterState.PARKED);
            assertThat(parkedAgain.attempts()).last()
                    .isEqualTo(new Attempt(2, clock.instant(), "IllegalStateException: still down"));
            assertThat(parkedAgain.reason()).isEqualTo("IllegalStateException: still down");
            assertThat(parkedAgain.replayRequestedAt()).as("when the replay was asked for stays visible")
                    .contains(ManualClock.START);
            assertThat(worker.replayRequested().isEmpty()).as("a failed replay is not retried on its own").isTrue();
        }

        @Test
        void parks_a_letter_whose_consumer_throws_an_error_instead_of_asking_again_forever() {
            DeadLetter letter = park("ledger", 1);
            worker.register("ledger", message -> {
                throw new AssertionError("invariant broken");
            });
            operator.requestReplay(letter.id());

            assertThat(worker.replayRequested().failed()).containsExactly(letter.id());

            assertThat(store.find(letter.id()).orElseThrow().reason()).isEqualTo("AssertionError: invariant broken");
            assertThat(state(letter)).isEqualTo(DeadLetterState.PARKED);
        }

        @Test
        void parks_a_letter_whose_message_cannot_be_read() {
            DeadLetter foreign = new DeadLetter(UUID.randomUUID(), "ledger", Map.of("x-kind", "raw"), "\u0001",
                    "InvalidMessageException: no factum-type header", "", List.of(), ManualClock.START,
                    DeadLetterState.PARKED, Optional.empty(), Optional.empty());
            store.add(foreign);
            operator.requestReplay(foreign.id());

            assertThat(worker.replayRequested().failed()).containsExactly(foreign.id());

            DeadLetter after = store.find(foreign.id()).orElseThrow();
            assertThat(after.state()).isEqualTo(DeadLetterState.PARKED);
            assertThat(after.attempts()).singleElement().extracting(Attempt::error).asString()
                    .startsWith("InvalidMessageException");
            assertThat(handled).isEmpty();
        }

        @Test
        void skips_a_letter_discarded_after_the_round_listed_it() {
            DeadLetter kept = park("ledger", 20);
            DeadLetter discarded = park("ledger", 10);
            operator.requestReplay(kept.id());
            operator.requestReplay(discarded.id());
            store.afterList(() -> operator.discard(discarded.id(), "the operator changed their mind"));

            DeadLetters.ReplayRound round = worker.replayRequested();

            assertThat(round.replayed()).containsExactly(kept.id());
            assertThat(handled).extracting(Message::body).containsExactly("{\"amount\":20}");
            assertThat(state(discarded)).isEqualTo(DeadLetterState.DISCARDED);
        }
    }

    @Nested
    class the_replayer {

        @Test
        void replays_a_letter_requested_while_it_runs() {
            DeadLetter letter = park("ledger", 1);
            try (DeadLetterReplayer replayer = worker.startReplayer(Duration.ofMillis(5))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> replayer.rounds() >= 1);

                operator.requestReplay(letter.id());

                await().atMost(Duration.ofSeconds(10)).until(() -> state(letter) == DeadLetterState.REPLAYED);
            }
            assertThat(handled).hasSize(1);
        }

        @Test
        void goes_on_after_rounds_that_fail() {
            DeadLetter letter = park("ledger", 1);
            operator.requestReplay(letter.id());
            store.failLists(3);

            try (DeadLetterReplayer replayer = worker.startReplayer(Duration.ofMillis(5))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> state(letter) == DeadLetterState.REPLAYED);

                assertThat(replayer.failedRounds()).isEqualTo(3);
                assertThat(replayer.running()).isTrue();
            }
            assertThat(handled).hasSize(1);
        }

        @Test
        void stops_when_closed() {
            DeadLetterReplayer replayer = worker.startReplayer(Duration.ofMinutes(10));
            await().atMost(Duration.ofSeconds(10)).until(() -> replayer.rounds() >= 1);

            replayer.close();

            assertThat(replayer.running()).isFalse();
            assertThat(replayer.rounds()).isEqualTo(1);
        }

        @Test
        void needs_a_positive_interval() {
            for (Duration every : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
                assertThatThrownBy(() -> worker.startReplayer(every)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("positive");
            }
        }
    }

    /** The in-memory store, with a hook after listing and a number of listings that fail. */
    private static final class ObservedStore implements DeadLetterStore {
        private final InMemoryDeadLetterStore letters = new InMemoryDeadLetterStore();
        private final List<Runnable> afterList = new ArrayList<>();
        private final AtomicInteger failingLists = new AtomicInteger();

        void afterList(Runnable action) {
            afterList.add(action);
        }

        void failLists(int count) {
            failingLists.set(count);
        }

        @Override
        public void add(DeadLetter letter) {
            letters.add(letter);
        }

        @Override
        public Optional<DeadLetter> find(UUID id) {
            return letters.find(id);
        }

        @Override
        public List<DeadLetter> list(DeadLetterQuery query) {
            if (failingLists.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("store unreachable");
            }
            List<DeadLetter> listed = letters.list(query);
            afterList.forEach(Runnable::run);
            afterList.clear();
            return listed;
        }

        @Override
        public void addAttempt(UUID id, Attempt attempt) {
            letters.addAttempt(id, attempt);
        }

        @Override
        public DeadLetter requestReplay(UUID id, Instant at) {
            return letters.requestReplay(id, at);
        }

        @Override
        public DeadLetter resolve(UUID id, DeadLetterState state, String note, Instant at) {
            return letters.resolve(id, state, note, at);
        }

        @Override
        public int pruneResolved(Instant before) {
            return letters.pruneResolved(before);
        }
    }
}
