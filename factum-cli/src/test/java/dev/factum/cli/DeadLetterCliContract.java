// SPDX-License-Identifier: Apache-2.0
package dev.factum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.DeadLetters;
import dev.factum.store.EventStore;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static dev.factum.cli.CliContract.assertFailedInOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code factum dead-letters} on a real store: letters are parked through the store's own {@link DeadLetterStore}, as
 * a consumer would, then listed, shown, replayed and discarded through the command line, run in-process as typed.
 * Subclasses name an empty store ({@link #storeArgs()}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class DeadLetterCliContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stores keep microseconds; letters are parked at whole milliseconds so they read back equal. */
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private EventStore store;
    private DeadLetterStore letters;

    /** {@code --store …} (and {@code --schema …}) of an empty store for this test. */
    protected abstract List<String> storeArgs();

    @BeforeEach
    void open_the_store_as_a_consumer_process_would() {
        List<String> args = storeArgs();
        int schema = args.indexOf("--schema");
        store = StoreOpener.durable().open(StoreTarget.parse(args.get(args.indexOf("--store") + 1),
                schema < 0 ? Optional.empty() : Optional.of(args.get(schema + 1))));
        letters = DeadLettersCommand.deadLetterStore(store);
    }

    @AfterEach
    void close_the_store() {
        if (store != null) store.close();
        store = null;
    }

    CliRun.Result factum(String... args) {
        return CliRun.factum(storeArgs(), args);
    }

    static void assertSucceeded(CliRun.Result result) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isZero();
    }

    /** A parked letter of {@code consumer} for a readable {@code type} message, dead {@code age} ago. */
    private DeadLetter park(String consumer, String type, Duration age, String error) {
        Instant deadAt = now.minus(age);
        Message message = new Message(UUID.randomUUID(), type, "Account-7", 3, "corr-1", "cause-1", Optional.empty(),
                Optional.empty(), Message.JSON, "{\"amount\":10}", Map.of("tenant", "t-1"), deadAt);
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), consumer, MessageHeaders.encode(message), message.body(),
                error, "java.lang.IllegalStateException: " + error + "\n    at Ledger.handle(Ledger.java:12)\n",
                List.of(new Attempt(1, deadAt.minusSeconds(2), error), new Attempt(2, deadAt, error)), deadAt,
                DeadLetterState.PARKED, Optional.empty(), Optional.empty());
        letters.add(letter);
        return letter;
    }

    private DeadLetter park(String consumer, String type, Duration age) {
        return park(consumer, type, age, "IllegalStateException: ledger down");
    }

    private DeadLetter stored(DeadLetter letter) {
        return letters.find(letter.id()).orElseThrow();
    }

    private static List<String> ids(CliRun.Result list) {
        return list.lines().stream().skip(1).map(line -> line.substring(0, line.indexOf(' '))).toList();
    }

    static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    @Nested
    class Listing {
        @Test
        void prints_a_table_newest_first_one_line_per_letter() {
            DeadLetter older = park("ledger", "Deposited", Duration.ofHours(2));
            DeadLetter newer = park("mailer", "Withdrawn", Duration.ofMinutes(5));

            CliRun.Result list = factum("dead-letters", "list");

            assertSucceeded(list);
            assertThat(list.lines()).hasSize(3);
            assertThat(list.lines().get(0)).startsWith("ID ").contains("CONSUMER", "TYPE", "STATE", "ATTEMPTS",
                    "DEAD AT", "REASON");
            assertThat(ids(list)).containsExactly(newer.id().toString(), older.id().toString());
            assertThat(list.lines().get(2).split(" {2,}")).containsExactly(older.id().toString(), "ledger",
                    "Deposited", "PARKED", "2", older.deadAt().toString(), "IllegalStateException: ledger down");
        }

        @Test
        void filters_by_consumer_type_state_and_age() {
            DeadLetter old = park("ledger", "Deposited", Duration.ofHours(2));
            DeadLetter recent = park("ledger", "Deposited", Duration.ofMinutes(5));
            DeadLetter withdrawn = park("ledger", "Withdrawn", Duration.ofHours(3));
            DeadLetter mailer = park("mailer", "Deposited", Duration.ofHours(4));
            letters.resolve(withdrawn.id(), DeadLetterState.DISCARDED, "duplicate", now);

            assertThat(ids(factum("dead-letters", "list", "--consumer", "mailer"))).containsExactly(mailer.id().toString());
            assertThat(ids(factum("dead-letters", "list", "--type", "Withdrawn"))).containsExactly(withdrawn.id().toString());
            assertThat(ids(factum("dead-letters", "list", "--state", "discarded"))).containsExactly(withdrawn.id().toString());
            assertThat(ids(factum("dead-letters", "list", "--consumer", "ledger", "--state", "PARKED", "--older-than", "1h")))
                    .containsExactly(old.id().toString());
            assertThat(ids(factum("dead-letters", "list", "--consumer", "ledger", "--older-than", "PT1H")))
                    .containsExactly(old.id().toString(), withdrawn.id().toString());
            assertThat(ids(factum("dead-letters", "list", "--consumer", "ledger", "--older-than", "1m")))
                    .containsExactly(recent.id().toString(), old.id().toString(), withdrawn.id().toString());
            assertThat(ids(factum("dead-letters", "list", "--limit", "1"))).containsExactly(recent.id().toString());
        }

        @Test
        void json_lines_carry_every_field_of_the_table() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));

            CliRun.Result list = factum("dead-letters", "list", "--json");

            assertSucceeded(list);
            JsonNode line = json(list.lines().getFirst());
            assertThat(list.lines()).hasSize(1);
            assertThat(line.get("id").asText()).isEqualTo(letter.id().toString());
            assertThat(line.get("consumer").asText()).isEqualTo("ledger");
            assertThat(line.get("type").asText()).isEqualTo("Deposited");
            assertThat(line.get("state").asText()).isEqualTo("PARKED");
            assertThat(line.get("attempts").asInt()).isEqualTo(2);
            assertThat(Instant.parse(line.get("deadAt").asText())).isEqualTo(letter.deadAt());
            assertThat(line.get("reason").asText()).isEqualTo("IllegalStateException: ledger down");
        }

        @Test
        void says_so_when_no_letter_matches() {
            CliRun.Result list = factum("dead-letters", "list");

            assertSucceeded(list);
            assertThat(list.out()).isEqualTo("no dead letters" + System.lineSeparator());
            assertThat(factum("dead-letters", "list", "--json").out()).isEmpty();
        }

        @Test
        void malformed_filters_are_usage_errors_naming_the_option() {
            assertFailedInOneLine(factum("dead-letters", "list", "--older-than", "soon"), FactumCli.USAGE,
                    "--older-than", "'soon' is not a duration");
            assertFailedInOneLine(factum("dead-letters", "list", "--older-than", "0s"), FactumCli.USAGE,
                    "--older-than must be a positive age");
            assertFailedInOneLine(factum("dead-letters", "list", "--state", "lost"), FactumCli.USAGE, "--state",
                    "REPLAY_REQUESTED");
            assertFailedInOneLine(factum("dead-letters", "list", "--limit", "0"), FactumCli.USAGE, "--limit must be 1-1000");
        }
    }

    @Nested
    class Showing {
        @Test
        void prints_the_letter_in_full() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));

            CliRun.Result show = factum("dead-letters", "show", letter.id().toString());

            assertSucceeded(show);
            assertThat(show.out()).contains("dead letter       " + letter.id(), "consumer          ledger",
                    "state             PARKED", "message type      Deposited",
                    "reason            IllegalStateException: ledger down", "attempts (2)",
                    "  1  " + letter.attempts().get(0).at() + "  IllegalStateException: ledger down",
                    "  2  " + letter.deadAt() + "  IllegalStateException: ledger down",
                    "  factum-header.tenant: t-1", "  factum-type: Deposited", "body", "  {\"amount\":10}",
                    "stack summary", "    at Ledger.handle(Ledger.java:12)");
            assertThat(show.out()).doesNotContain("resolved");
        }

        @Test
        void prints_how_a_letter_was_resolved_and_the_whole_letter_as_json() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));
            assertSucceeded(factum("dead-letters", "discard", letter.id().toString(), "--reason", "fixed by hand"));
            Instant resolvedAt = stored(letter).resolvedAt().orElseThrow();

            assertThat(factum("dead-letters", "show", letter.id().toString()).out())
                    .contains("resolved          discarded at " + resolvedAt + ": fixed by hand");
            JsonNode json = json(factum("dead-letters", "show", letter.id().toString(), "--json").out());
            assertThat(json.get("state").asText()).isEqualTo("DISCARDED");
            assertThat(json.get("resolution").asText()).isEqualTo("fixed by hand");
            assertThat(json.get("body").asText()).isEqualTo("{\"amount\":10}");
            assertThat(json.get("headers").get("factum-type").asText()).isEqualTo("Deposited");
            assertThat(json.get("attempts")).hasSize(2);
            assertThat(json.get("attempts").get(1).get("error").asText()).isEqualTo("IllegalStateException: ledger down");
            assertThat(json.get("stackSummary").asText()).contains("Ledger.handle");
        }

        @Test
        void an_unknown_id_fails_and_a_malformed_one_is_a_usage_error() {
            UUID unknown = UUID.randomUUID();

            assertFailedInOneLine(factum("dead-letters", "show", unknown.toString()), FactumCli.FAILURE,
                    "no dead letter " + unknown);
            assertFailedInOneLine(factum("dead-letters", "show", "not-a-uuid"), FactumCli.USAGE, "ID", "not-a-uuid");
        }
    }

    @Nested
    class Discarding {
        @Test
        void keeps_the_letter_as_discarded_with_the_reason() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));

            CliRun.Result discard = factum("dead-letters", "discard", letter.id().toString(), "--reason",
                    "duplicate of a manual fix");

            assertSucceeded(discard);
            assertThat(discard.out()).isEqualTo("dead letter " + letter.id() + " discarded: duplicate of a manual fix"
                    + System.lineSeparator());
            assertThat(stored(letter).state()).isEqualTo(DeadLetterState.DISCARDED);
            assertThat(stored(letter).resolution()).contains("duplicate of a manual fix");
        }

        @Test
        void needs_a_reason() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));

            assertFailedInOneLine(factum("dead-letters", "discard", letter.id().toString()), FactumCli.USAGE, "--reason");
            assertFailedInOneLine(factum("dead-letters", "discard", letter.id().toString(), "--reason", "  "),
                    FactumCli.USAGE, "--reason is blank");
            assertThat(stored(letter).state()).isEqualTo(DeadLetterState.PARKED);
        }

        @Test
        void of_a_resolved_letter_fails_naming_its_state() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));
            assertSucceeded(factum("dead-letters", "discard", letter.id().toString(), "--reason", "first"));

            assertFailedInOneLine(factum("dead-letters", "discard", letter.id().toString(), "--reason", "again"),
                    FactumCli.FAILURE, "dead letter " + letter.id() + " is already discarded");
            assertThat(stored(letter).resolution()).contains("first");
        }
    }

    @Nested
    class Replaying {
        private final List<Message> handled = new CopyOnWriteArrayList<>();
        private final AtomicReference<String> failure = new AtomicReference<>();

        /** The process that runs consumer "ledger". */
        private DeadLetters ledgerProcess() {
            return new DeadLetters(letters).register("ledger", message -> {
                if (failure.get() != null) throw new IllegalStateException(failure.get());
                handled.add(message);
            });
        }

        @Test
        void requests_the_replay_from_the_process_running_the_consumer() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));

            CliRun.Result replay = factum("dead-letters", "replay", letter.id().toString());

            assertSucceeded(replay);
            assertThat(replay.out()).isEqualTo("replay of dead letter " + letter.id()
                    + " requested: the process running consumer 'ledger' will replay it" + System.lineSeparator());
            assertThat(stored(letter).state()).isEqualTo(DeadLetterState.REPLAY_REQUESTED);
            assertThat(handled).as("the command line runs no consumer").isEmpty();

            assertThat(ledgerProcess().replayRequested().replayed()).containsExactly(letter.id());
            assertThat(handled).extracting(Message::body).containsExactly("{\"amount\":10}");
            assertThat(stored(letter).state()).isEqualTo(DeadLetterState.REPLAYED);
        }

        @Test
        void asked_again_while_the_request_waits_says_so() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));
            assertSucceeded(factum("dead-letters", "replay", letter.id().toString()));

            CliRun.Result again = factum("dead-letters", "replay", letter.id().toString(), "--json");

            assertSucceeded(again);
            assertThat(again.err()).contains("a replay of dead letter " + letter.id() + " was already requested at");
            assertThat(json(again.out()).get("state").asText()).isEqualTo("REPLAY_REQUESTED");
        }

        @Test
        void of_a_resolved_letter_fails_naming_its_state() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));
            letters.resolve(letter.id(), DeadLetterState.DISCARDED, "duplicate", now);

            assertFailedInOneLine(factum("dead-letters", "replay", letter.id().toString()), FactumCli.FAILURE,
                    "dead letter " + letter.id() + " is already discarded");
        }

        @Test
        void with_wait_ends_when_the_consumer_process_replayed_it() throws InterruptedException {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));

            CliRun.Result result = whileWaiting(letter, "30s", () -> ledgerProcess().replayRequested());

            assertSucceeded(result);
            DeadLetter replayed = stored(letter);
            assertThat(replayed.state()).isEqualTo(DeadLetterState.REPLAYED);
            assertThat(result.out()).isEqualTo("dead letter " + letter.id() + " replayed by consumer 'ledger' at "
                    + replayed.resolvedAt().orElseThrow() + System.lineSeparator());
            assertThat(result.err()).contains("waiting up to 30s for consumer 'ledger'");
            assertThat(handled).hasSize(1);
        }

        @Test
        void with_wait_fails_with_the_consumer_error_when_the_replay_fails_again() throws InterruptedException {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));
            failure.set("ledger still down");

            CliRun.Result result = whileWaiting(letter, "30s", () -> ledgerProcess().replayRequested());

            assertThat(result.exitCode()).isEqualTo(FactumCli.FAILURE);
            assertThat(result.err().lines().toList()).last().asString().isEqualTo("factum: replay of dead letter "
                    + letter.id() + " failed in consumer 'ledger': IllegalStateException: ledger still down;"
                    + " the letter is parked again");
            assertThat(result.out()).isEmpty();
            assertThat(stored(letter).state()).isEqualTo(DeadLetterState.PARKED);
            assertThat(stored(letter).attempts()).hasSize(3);
        }

        @Test
        void with_wait_gives_up_in_time_when_no_process_replays_it_and_the_request_stays() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));

            CliRun.Result result = factum("dead-letters", "replay", letter.id().toString(), "--wait", "300ms");

            assertThat(result.exitCode()).isEqualTo(FactumCli.FAILURE);
            assertThat(result.err().lines().toList()).last().asString()
                    .startsWith("factum: dead letter " + letter.id() + " was not replayed within 300ms")
                    .contains("consumer 'ledger'", "the request stays");
            assertThat(stored(letter).state()).isEqualTo(DeadLetterState.REPLAY_REQUESTED);
        }

        @Test
        void with_a_malformed_wait_is_a_usage_error_and_requests_nothing() {
            DeadLetter letter = park("ledger", "Deposited", Duration.ofMinutes(5));

            assertFailedInOneLine(factum("dead-letters", "replay", letter.id().toString(), "--wait", "forever"),
                    FactumCli.USAGE, "--wait", "'forever' is not a duration");
            assertFailedInOneLine(factum("dead-letters", "replay", letter.id().toString(), "--wait", "-PT1S"),
                    FactumCli.USAGE, "--wait must be a positive time");
            assertThat(stored(letter).state()).isEqualTo(DeadLetterState.PARKED);
        }

        /** Runs {@code replay ID --wait AGE}; once the request is stored, the consumer's process does {@code work}. */
        private CliRun.Result whileWaiting(DeadLetter letter, String wait, Runnable work) throws InterruptedException {
            AtomicReference<CliRun.Result> result = new AtomicReference<>();
            Thread cli = Thread.ofPlatform().name("test-replay-wait").start(() -> result.set(
                    factum("dead-letters", "replay", letter.id().toString(), "--wait", wait)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> stored(letter).state() == DeadLetterState.REPLAY_REQUESTED);
            work.run();
            assertThat(cli.join(Duration.ofSeconds(30))).as("the waiting command ends").isTrue();
            return result.get();
        }
    }

    @Test
    void without_a_subcommand_is_a_usage_error_listing_them() {
        assertFailedInOneLine(factum("dead-letters"), FactumCli.USAGE, "list, show, replay, discard");
        assertThat(factum("--help").out()).contains("dead-letters");
    }
}
