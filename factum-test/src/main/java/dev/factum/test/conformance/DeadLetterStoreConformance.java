// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterNotFoundException;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetterStore;
import dev.factum.transport.MessageHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link DeadLetterStore} SPI: a letter is kept exactly as parked (headers, any body text, reason, stack summary,
 * attempts, times) and across a restart; adding it again changes nothing; listing filters by consumer, message type,
 * state and age, newest first, up to the limit; a failed replay appends its attempt; a replay is requested only of a
 * parked letter, once, and a failed replay parks a requested letter again; only a parked or requested letter
 * resolves, once — also when two operators try at the same moment; pruning removes old resolved letters only.
 * Subclass it once per store, overriding {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class DeadLetterStoreConformance extends StoreSuite {
    private static final String ONCE = "a dead letter is resolved once, from parked or replay requested";
    private static final String REQUEST_ONCE = "a replay is requested once, of a parked letter";
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private DeadLetterStore letters;
    /** A consumer name no other test uses. */
    private String consumer;

    @BeforeEach
    protected final void openLetters() {
        letters = fixture.deadLetterStore();
        consumer = "conformance-" + UUID.randomUUID();
    }

    /** A parked letter of {@code consumer} for a message of {@code type}, dead at T0 + {@code second}. */
    private static DeadLetter letter(String consumer, String type, long second) {
        return letter(UUID.randomUUID(), consumer, type, T0.plusSeconds(second));
    }

    private static DeadLetter letter(UUID id, String consumer, String type, Instant deadAt) {
        Map<String, String> headers = Map.of(MessageHeaders.TYPE, type, MessageHeaders.MESSAGE_ID,
                UUID.randomUUID().toString(), "x-tenant", "t-1");
        return new DeadLetter(id, consumer, headers, "{\"amount\":10}", "IllegalStateException: stock service down",
                "java.lang.IllegalStateException: stock service down\n    at Handler.handle(Handler.java:12)\n",
                List.of(new Attempt(1, deadAt.minusSeconds(3), "IllegalStateException: stock service down"),
                        new Attempt(2, deadAt, "IllegalStateException: stock service down")),
                deadAt, DeadLetterState.PARKED, Optional.empty(), Optional.empty());
    }

    private List<UUID> ids(DeadLetterQuery query) {
        return letters.list(query).stream().map(DeadLetter::id).toList();
    }

    @Nested
    class Adding_and_finding {

        @Test
        void an_added_letter_is_found_exactly_as_parked() {
            DeadLetter letter = letter(consumer, "Deposited", 0);

            letters.add(letter);

            assertThat(letters.find(letter.id())).contains(letter);
        }

        @Test
        void an_unknown_id_is_not_found() {
            assertThat(letters.find(UUID.randomUUID())).isEmpty();
        }

        @Test
        void adding_a_letter_with_a_stored_id_again_changes_nothing() {
            DeadLetter first = letter(consumer, "Deposited", 0);
            letters.add(first);
            DeadLetter again = new DeadLetter(first.id(), consumer + "-other", Map.of(), "other body", "other reason",
                    "", List.of(), T0.plusSeconds(60), DeadLetterState.PARKED, Optional.empty(), Optional.empty());

            letters.add(again);

            assertThat(letters.find(first.id())).contains(first);
            assertThat(letters.list(DeadLetterQuery.all().consumer(consumer + "-other"))).isEmpty();
        }

        @Test
        void a_foreign_message_keeps_its_odd_body_and_headers_and_has_no_type() {
            String body = "not json: \u0000\u0001\t\r\n \"quoted\" \\ é 中文 😀 \uFFFD";
            Map<String, String> headers = Map.of("content-type", "application/octet-stream", "x-odd", "a=\"b\"\n\\",
                    "x-empty", "");
            DeadLetter letter = new DeadLetter(UUID.randomUUID(), consumer, headers, body, "InvalidMessageException: "
                    + "no factum-type header", "", List.of(), T0, DeadLetterState.PARKED, Optional.empty(),
                    Optional.empty());

            letters.add(letter);

            DeadLetter found = letters.find(letter.id()).orElseThrow();
            assertThat(found).isEqualTo(letter);
            assertThat(found.messageType()).isEmpty();
        }

        @Test
        void a_letter_survives_a_restart() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);

            DeadLetterStore restarted = fixture.openDeadLetterStore();

            if (fixture.capabilities().multipleInstances()) {
                assertThat(restarted.find(letter.id())).as("a durable dead letter survives a restart").contains(letter);
            } else {
                assertThat(restarted.find(letter.id())).as("dead letters of one process are lost on restart").isEmpty();
            }
        }
    }

    @Nested
    class Listing {

        @Test
        void gives_the_newest_first() {
            DeadLetter oldest = letter(consumer, "Deposited", 1);
            DeadLetter newest = letter(consumer, "Deposited", 3);
            DeadLetter middle = letter(consumer, "Deposited", 2);
            List.of(oldest, newest, middle).forEach(letters::add);

            assertThat(ids(DeadLetterQuery.all().consumer(consumer)))
                    .containsExactly(newest.id(), middle.id(), oldest.id());
        }

        @Test
        void orders_letters_dead_at_the_same_instant_by_id_descending() {
            UUID low = UUID.fromString("018f0000-0000-7000-8000-000000000001");
            UUID high = UUID.fromString("018f0000-0001-7000-8000-000000000001");
            letters.add(letter(low, consumer, "Deposited", T0));
            letters.add(letter(high, consumer, "Deposited", T0));

            assertThat(ids(DeadLetterQuery.all().consumer(consumer))).containsExactly(high, low);
        }

        @Test
        void stops_at_the_limit_keeping_the_newest() {
            List<DeadLetter> added = new ArrayList<>();
            for (int i = 0; i < 5; i++) added.add(letter(consumer, "Deposited", i));
            added.forEach(letters::add);

            assertThat(ids(DeadLetterQuery.all().consumer(consumer).limit(2)))
                    .containsExactly(added.get(4).id(), added.get(3).id());
        }

        @Test
        void filters_by_consumer() {
            DeadLetter mine = letter(consumer, "Deposited", 0);
            letters.add(mine);
            letters.add(letter(consumer + "-other", "Deposited", 1));

            assertThat(ids(DeadLetterQuery.all().consumer(consumer))).containsExactly(mine.id());
        }

        @Test
        void filters_by_the_message_type_header() {
            DeadLetter deposit = letter(consumer, "Deposited", 0);
            letters.add(deposit);
            letters.add(letter(consumer, "Withdrawn", 1));
            letters.add(new DeadLetter(UUID.randomUUID(), consumer, Map.of(), "?", "no type", "", List.of(), T0,
                    DeadLetterState.PARKED, Optional.empty(), Optional.empty()));

            assertThat(ids(DeadLetterQuery.all().consumer(consumer).type("Deposited"))).containsExactly(deposit.id());
            assertThat(ids(DeadLetterQuery.all().consumer(consumer).type("Unknown"))).isEmpty();
        }

        @Test
        void filters_by_state() {
            DeadLetter parked = letter(consumer, "Deposited", 0);
            DeadLetter replayed = letter(consumer, "Deposited", 1);
            DeadLetter discarded = letter(consumer, "Deposited", 2);
            List.of(parked, replayed, discarded).forEach(letters::add);
            letters.resolve(replayed.id(), DeadLetterState.REPLAYED, "replayed by ops", T0.plusSeconds(10));
            letters.resolve(discarded.id(), DeadLetterState.DISCARDED, "duplicate", T0.plusSeconds(10));

            DeadLetterQuery mine = DeadLetterQuery.all().consumer(consumer);
            assertThat(ids(mine.state(DeadLetterState.PARKED))).containsExactly(parked.id());
            assertThat(ids(mine.state(DeadLetterState.REPLAYED))).containsExactly(replayed.id());
            assertThat(ids(mine.state(DeadLetterState.DISCARDED))).containsExactly(discarded.id());
        }

        @Test
        void filters_by_age_keeping_letters_dead_strictly_before_the_instant() {
            DeadLetter old = letter(consumer, "Deposited", 1);
            DeadLetter boundary = letter(consumer, "Deposited", 2);
            DeadLetter recent = letter(consumer, "Deposited", 3);
            List.of(old, boundary, recent).forEach(letters::add);

            assertThat(ids(DeadLetterQuery.all().consumer(consumer).deadBefore(T0.plusSeconds(2))))
                    .containsExactly(old.id());
        }

        @Test
        void combines_every_filter() {
            DeadLetter match = letter(consumer, "Deposited", 1);
            List.of(match, letter(consumer, "Withdrawn", 1), letter(consumer, "Deposited", 5),
                    letter(consumer + "-other", "Deposited", 1)).forEach(letters::add);

            assertThat(ids(DeadLetterQuery.all().consumer(consumer).type("Deposited").state(DeadLetterState.PARKED)
                    .deadBefore(T0.plusSeconds(3)).limit(10))).containsExactly(match.id());
        }

        @Test
        void gives_whole_letters() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);

            assertThat(letters.list(DeadLetterQuery.all().consumer(consumer))).containsExactly(letter);
        }
    }

    @Nested
    class Adding_attempts {

        @Test
        void appends_the_attempt_and_makes_its_error_the_reason() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);
            Attempt replay = new Attempt(3, T0.plusSeconds(60), "IllegalStateException: still down");
            Attempt again = new Attempt(4, T0.plusSeconds(120), "TimeoutException: gave up");

            letters.addAttempt(letter.id(), replay);
            letters.addAttempt(letter.id(), again);

            DeadLetter found = letters.find(letter.id()).orElseThrow();
            assertThat(found.attempts()).containsExactly(letter.attempts().get(0), letter.attempts().get(1), replay, again);
            assertThat(found.reason()).isEqualTo("TimeoutException: gave up");
            assertThat(found).isEqualTo(letter.withAttempt(replay).withAttempt(again));
        }

        @Test
        void to_an_unknown_letter_is_refused() {
            UUID unknown = UUID.randomUUID();

            assertThatThrownBy(() -> letters.addAttempt(unknown, new Attempt(1, T0, "boom")))
                    .isInstanceOf(DeadLetterNotFoundException.class)
                    .hasMessageContaining(unknown.toString());
        }
    }

    @Nested
    class Resolving {

        @Test
        void a_parked_letter_as_replayed_keeps_the_note_and_time() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);

            DeadLetter resolved = letters.resolve(letter.id(), DeadLetterState.REPLAYED, "replayed by ada",
                    T0.plusSeconds(30));

            DeadLetter expected = letter.resolved(DeadLetterState.REPLAYED, "replayed by ada", T0.plusSeconds(30));
            assertThat(resolved).isEqualTo(expected);
            assertThat(letters.find(letter.id())).contains(expected);
        }

        @Test
        void a_parked_letter_as_discarded() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);

            letters.resolve(letter.id(), DeadLetterState.DISCARDED, "discarded: duplicate", T0.plusSeconds(30));

            DeadLetter found = letters.find(letter.id()).orElseThrow();
            assertThat(found.state()).isEqualTo(DeadLetterState.DISCARDED);
            assertThat(found.resolution()).contains("discarded: duplicate");
            assertThat(found.resolvedAt()).contains(T0.plusSeconds(30));
        }

        @Test
        void twice_is_refused_and_the_first_resolution_stands() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);
            letters.resolve(letter.id(), DeadLetterState.REPLAYED, "first", T0.plusSeconds(30));

            assertThatThrownBy(() -> letters.resolve(letter.id(), DeadLetterState.DISCARDED, "second",
                    T0.plusSeconds(40))).as(ONCE).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(letter.id().toString()).hasMessageContaining("replayed");

            DeadLetter found = letters.find(letter.id()).orElseThrow();
            assertThat(found.state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(found.resolution()).contains("first");
        }

        @Test
        void an_unknown_letter_is_refused() {
            UUID unknown = UUID.randomUUID();

            assertThatThrownBy(() -> letters.resolve(unknown, DeadLetterState.DISCARDED, "gone", T0))
                    .isInstanceOf(DeadLetterNotFoundException.class)
                    .hasMessageContaining(unknown.toString());
        }

        @Test
        void back_to_parked_or_to_replay_requested_is_refused() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);

            assertThatThrownBy(() -> letters.resolve(letter.id(), DeadLetterState.PARKED, "again", T0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> letters.resolve(letter.id(), DeadLetterState.REPLAY_REQUESTED, "again", T0))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(letters.find(letter.id())).contains(letter);
        }

        @RepeatedTest(5)
        void by_two_operators_at_once_succeeds_for_exactly_one() throws Exception {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);
            CountDownLatch start = new CountDownLatch(1);
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            List<Thread> operators = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                DeadLetterState to = i % 2 == 0 ? DeadLetterState.REPLAYED : DeadLetterState.DISCARDED;
                String note = "operator " + i;
                operators.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        outcomes.add(letters.resolve(letter.id(), to, note, T0.plusSeconds(30)));
                    } catch (IllegalStateException e) {
                        outcomes.add(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }

            start.countDown();
            for (Thread operator : operators) assertThat(operator.join(java.time.Duration.ofSeconds(30))).isTrue();

            assertThat(outcomes).hasSize(6);
            List<DeadLetter> won = outcomes.stream().filter(DeadLetter.class::isInstance).map(DeadLetter.class::cast)
                    .toList();
            assertThat(won).as(ONCE).hasSize(1);
            assertThat(letters.find(letter.id())).as(ONCE).contains(won.getFirst());
        }
    }

    @Nested
    class Requesting_replays {

        @Test
        void a_parked_letter_waits_for_its_replay_with_the_request_time() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);

            DeadLetter requested = letters.requestReplay(letter.id(), T0.plusSeconds(30));

            DeadLetter expected = letter.replayRequested(T0.plusSeconds(30));
            assertThat(requested).isEqualTo(expected);
            assertThat(requested.state()).isEqualTo(DeadLetterState.REPLAY_REQUESTED);
            assertThat(letters.find(letter.id())).contains(expected);
        }

        @Test
        void a_letter_added_while_its_replay_is_requested_is_found_exactly() {
            DeadLetter letter = letter(consumer, "Deposited", 0).replayRequested(T0.plusSeconds(5));

            letters.add(letter);

            assertThat(letters.find(letter.id())).contains(letter);
        }

        @Test
        void a_second_request_is_refused_naming_the_state_and_changes_nothing() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);
            DeadLetter requested = letters.requestReplay(letter.id(), T0.plusSeconds(30));

            assertThatThrownBy(() -> letters.requestReplay(letter.id(), T0.plusSeconds(40))).as(REQUEST_ONCE)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(letter.id().toString()).hasMessageContaining("requested");

            assertThat(letters.find(letter.id())).contains(requested);
        }

        @Test
        void a_request_for_a_resolved_letter_is_refused_naming_how_it_was_resolved() {
            DeadLetter replayed = letter(consumer, "Deposited", 0);
            DeadLetter discarded = letter(consumer, "Deposited", 1);
            List.of(replayed, discarded).forEach(letters::add);
            letters.resolve(replayed.id(), DeadLetterState.REPLAYED, "replayed by ada", T0.plusSeconds(10));
            letters.resolve(discarded.id(), DeadLetterState.DISCARDED, "duplicate", T0.plusSeconds(10));

            assertThatThrownBy(() -> letters.requestReplay(replayed.id(), T0.plusSeconds(30))).as(REQUEST_ONCE)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("replayed");
            assertThatThrownBy(() -> letters.requestReplay(discarded.id(), T0.plusSeconds(30))).as(REQUEST_ONCE)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("discarded");

            assertThat(letters.find(replayed.id()).orElseThrow().state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(letters.find(discarded.id()).orElseThrow().replayRequestedAt()).isEmpty();
        }

        @Test
        void a_request_for_an_unknown_letter_is_refused() {
            UUID unknown = UUID.randomUUID();

            assertThatThrownBy(() -> letters.requestReplay(unknown, T0))
                    .isInstanceOf(DeadLetterNotFoundException.class)
                    .hasMessageContaining(unknown.toString());
        }

        @Test
        void a_failed_replay_parks_the_letter_again_with_the_attempt_and_keeps_the_request_time() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);
            letters.requestReplay(letter.id(), T0.plusSeconds(30));
            Attempt replay = new Attempt(3, T0.plusSeconds(40), "IllegalStateException: still down");

            letters.addAttempt(letter.id(), replay);

            DeadLetter found = letters.find(letter.id()).orElseThrow();
            assertThat(found.state()).isEqualTo(DeadLetterState.PARKED);
            assertThat(found.replayRequestedAt()).contains(T0.plusSeconds(30));
            assertThat(found).isEqualTo(letter.replayRequested(T0.plusSeconds(30)).withAttempt(replay));
            assertThat(letters.requestReplay(letter.id(), T0.plusSeconds(50)).state())
                    .as("a parked-again letter can be requested again").isEqualTo(DeadLetterState.REPLAY_REQUESTED);
        }

        @Test
        void an_attempt_on_a_resolved_letter_leaves_it_resolved() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);
            letters.resolve(letter.id(), DeadLetterState.REPLAYED, "replayed elsewhere", T0.plusSeconds(30));

            letters.addAttempt(letter.id(), new Attempt(3, T0.plusSeconds(40), "late failure"));

            DeadLetter found = letters.find(letter.id()).orElseThrow();
            assertThat(found.state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(found.attempts()).hasSize(3);
        }

        @Test
        void a_requested_letter_resolves_as_replayed_or_discarded_once() {
            DeadLetter replayed = letter(consumer, "Deposited", 0);
            DeadLetter discarded = letter(consumer, "Deposited", 1);
            List.of(replayed, discarded).forEach(letters::add);
            letters.requestReplay(replayed.id(), T0.plusSeconds(20));
            letters.requestReplay(discarded.id(), T0.plusSeconds(20));

            DeadLetter done = letters.resolve(replayed.id(), DeadLetterState.REPLAYED, "replayed to ledger",
                    T0.plusSeconds(30));
            letters.resolve(discarded.id(), DeadLetterState.DISCARDED, "not needed", T0.plusSeconds(30));

            assertThat(done).isEqualTo(replayed.replayRequested(T0.plusSeconds(20))
                    .resolved(DeadLetterState.REPLAYED, "replayed to ledger", T0.plusSeconds(30)));
            assertThat(letters.find(discarded.id()).orElseThrow().state()).isEqualTo(DeadLetterState.DISCARDED);
            assertThatThrownBy(() -> letters.resolve(replayed.id(), DeadLetterState.DISCARDED, "again",
                    T0.plusSeconds(40))).as(ONCE).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("replayed");
        }

        @Test
        void requested_letters_are_listed_by_their_state() {
            DeadLetter parked = letter(consumer, "Deposited", 0);
            DeadLetter requested = letter(consumer, "Deposited", 1);
            List.of(parked, requested).forEach(letters::add);
            letters.requestReplay(requested.id(), T0.plusSeconds(30));

            DeadLetterQuery mine = DeadLetterQuery.all().consumer(consumer);
            assertThat(ids(mine.state(DeadLetterState.REPLAY_REQUESTED))).containsExactly(requested.id());
            assertThat(ids(mine.state(DeadLetterState.PARKED))).containsExactly(parked.id());
        }

        @Test
        void pruning_never_removes_a_letter_waiting_for_its_replay() {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);
            letters.requestReplay(letter.id(), T0.plusSeconds(30));

            assertThat(letters.pruneResolved(T0.plusSeconds(365L * 24 * 3600))).isZero();

            assertThat(letters.find(letter.id())).isPresent();
        }

        @RepeatedTest(5)
        void by_several_operators_at_once_succeeds_for_exactly_one() throws Exception {
            DeadLetter letter = letter(consumer, "Deposited", 0);
            letters.add(letter);
            CountDownLatch start = new CountDownLatch(1);
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            List<Thread> operators = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Instant at = T0.plusSeconds(30 + i);
                operators.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        outcomes.add(letters.requestReplay(letter.id(), at));
                    } catch (IllegalStateException e) {
                        outcomes.add(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }

            start.countDown();
            for (Thread operator : operators) assertThat(operator.join(java.time.Duration.ofSeconds(30))).isTrue();

            assertThat(outcomes).hasSize(6);
            List<DeadLetter> won = outcomes.stream().filter(DeadLetter.class::isInstance).map(DeadLetter.class::cast)
                    .toList();
            assertThat(won).as(REQUEST_ONCE).hasSize(1);
            assertThat(letters.find(letter.id())).as(REQUEST_ONCE).contains(won.getFirst());
        }
    }

    @Nested
    class Pruning {

        @Test
        void removes_letters_resolved_before_the_instant_and_keeps_parked_ones() {
            DeadLetter parked = letter(consumer, "Deposited", 0);
            DeadLetter oldResolved = letter(consumer, "Deposited", 1);
            DeadLetter boundary = letter(consumer, "Deposited", 2);
            DeadLetter recent = letter(consumer, "Deposited", 3);
            List.of(parked, oldResolved, boundary, recent).forEach(letters::add);
            letters.resolve(oldResolved.id(), DeadLetterState.DISCARDED, "old", T0.plusSeconds(100));
            letters.resolve(boundary.id(), DeadLetterState.REPLAYED, "boundary", T0.plusSeconds(200));
            letters.resolve(recent.id(), DeadLetterState.REPLAYED, "recent", T0.plusSeconds(300));

            assertThat(letters.pruneResolved(T0.plusSeconds(200))).isEqualTo(1);

            assertThat(letters.find(oldResolved.id())).isEmpty();
            assertThat(ids(DeadLetterQuery.all().consumer(consumer)))
                    .containsExactly(recent.id(), boundary.id(), parked.id());
        }

        @Test
        void never_removes_a_parked_letter_however_old() {
            DeadLetter parked = letter(consumer, "Deposited", 0);
            letters.add(parked);

            assertThat(letters.pruneResolved(T0.plusSeconds(365L * 24 * 3600))).isZero();

            assertThat(letters.find(parked.id())).contains(parked);
        }
    }
}
