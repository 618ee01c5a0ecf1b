// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.command.CommandClaim;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.command.CompletedCommand;
import dev.factum.store.Position;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link CommandResultStore} SPI on its own: results found by command id with their own class, the first saved
 * result standing, claims (granted once, running for everyone else, released, abandoned after the claim timeout and
 * taken over), retention and pruning by age, and what a second store instance over the same database sees (a restart,
 * or another process). Time is an adjustable clock, so nothing waits for it. Subclass it once per store, overriding
 * {@link #createFixture()} only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class CommandResultStoreConformance extends StoreSuite {
    static final Duration RETENTION = Duration.ofHours(1);
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);
    static final String TYPE = "com.example.Deposit";
    private static final String ONCE = "a command id is claimed by one send at a time";
    private static final String DURABLE = "a done command is remembered across store instances over one database";

    /** A result as a handler would return it: a record, with a decimal, a position and text beyond ASCII. */
    public record Receipt(String account, BigDecimal amount, Position position, String note) {
    }

    private AdjustableClock clock;
    private CommandResultOptions options;
    private CommandResultStore results;

    @BeforeEach
    protected final void openResults() {
        clock = new AdjustableClock(Instant.parse("2030-01-01T00:00:00Z"));
        options = CommandResultOptions.defaults().withRetention(RETENTION).withClaimTimeout(CLAIM_TIMEOUT)
                .withClock(clock);
        results = fixture.commandResultStore(options);
    }

    private static Receipt receipt(long position) {
        return new Receipt("a-1", new BigDecimal("10.50"), Position.of(position), "reçu ✓");
    }

    private CommandClaim.Claimed claimed(CommandResultStore store, UUID id) {
        CommandClaim claim = store.claim(id, TYPE);
        assertThat(claim).as(ONCE).isInstanceOf(CommandClaim.Claimed.class);
        return (CommandClaim.Claimed) claim;
    }

    private CompletedCommand done(UUID id, Object result) {
        return new CompletedCommand(id, TYPE, result);
    }

    @Nested
    class Finding {

        @Test
        void an_unknown_id_is_not_found() {
            assertThat(results.find(UUID.randomUUID())).isEmpty();
        }

        @Test
        void a_saved_result_is_found_with_its_type_and_its_own_class() {
            UUID id = UUID.randomUUID();
            results.save(done(id, receipt(7)));

            assertThat(results.find(id)).contains(done(id, receipt(7)));
        }

        @Test
        void strings_and_numbers_keep_their_class() {
            UUID text = UUID.randomUUID();
            UUID number = UUID.randomUUID();
            results.save(done(text, "accepted"));
            results.save(done(number, 42L));

            assertThat(results.find(text)).map(CompletedCommand::result).contains("accepted");
            assertThat(results.find(number)).map(CompletedCommand::result).contains(42L);
        }

        @Test
        void the_first_saved_result_stands() {
            UUID id = UUID.randomUUID();
            results.save(done(id, receipt(1)));
            results.save(done(id, receipt(2)));

            assertThat(results.find(id)).map(CompletedCommand::result).contains(receipt(1));
        }

        @Test
        void a_claimed_command_is_not_found_until_its_result_is_saved() {
            UUID id = UUID.randomUUID();
            claimed(results, id);

            assertThat(results.find(id)).isEmpty();

            results.save(done(id, receipt(3)));
            assertThat(results.find(id)).map(CompletedCommand::result).contains(receipt(3));
        }

        @Test
        void ids_are_independent() {
            UUID one = UUID.randomUUID();
            UUID two = UUID.randomUUID();
            results.save(done(one, receipt(1)));
            claimed(results, two);

            assertThat(results.find(two)).isEmpty();
            assertThat(results.claim(one, TYPE)).isInstanceOf(CommandClaim.Done.class);
        }
    }

    @Nested
    class Claiming {

        @Test
        void the_first_claim_of_an_id_is_granted() {
            UUID id = UUID.randomUUID();

            assertThat(claimed(results, id).commandId()).isEqualTo(id);
        }

        @Test
        void a_second_claim_while_the_first_is_live_answers_running_with_the_holders_type_and_time() {
            UUID id = UUID.randomUUID();
            claimed(results, id);
            clock.advance(Duration.ofSeconds(5));

            assertThat(results.claim(id, "com.example.Other")).as(ONCE)
                    .isEqualTo(new CommandClaim.Running(id, TYPE, Instant.parse("2030-01-01T00:00:00Z")));
        }

        @Test
        void a_done_command_answers_its_result_instead_of_a_claim() {
            UUID id = UUID.randomUUID();
            claimed(results, id);
            results.save(done(id, receipt(4)));

            assertThat(results.claim(id, TYPE)).isEqualTo(new CommandClaim.Done(done(id, receipt(4))));
        }

        @Test
        void a_released_claim_can_be_claimed_again() {
            UUID id = UUID.randomUUID();
            CommandClaim.Claimed first = claimed(results, id);

            results.release(first);

            assertThat(claimed(results, id).claimId()).isNotEqualTo(first.claimId());
        }

        @Test
        void a_claim_is_running_until_the_claim_timeout_then_abandoned_and_taken_over() {
            UUID id = UUID.randomUUID();
            CommandClaim.Claimed first = claimed(results, id);

            clock.advance(CLAIM_TIMEOUT.minusSeconds(1));
            assertThat(results.claim(id, TYPE)).isInstanceOf(CommandClaim.Running.class);

            clock.advance(Duration.ofSeconds(1));
            assertThat(claimed(results, id).claimId()).isNotEqualTo(first.claimId());
        }

        @Test
        void releasing_a_claim_that_was_taken_over_leaves_the_new_claim() {
            UUID id = UUID.randomUUID();
            CommandClaim.Claimed abandoned = claimed(results, id);
            clock.advance(CLAIM_TIMEOUT);
            claimed(results, id);

            results.release(abandoned);

            assertThat(results.claim(id, TYPE)).as(ONCE).isInstanceOf(CommandClaim.Running.class);
        }

        @Test
        void a_late_result_of_an_abandoned_claim_stands_if_it_is_saved_first() {
            UUID id = UUID.randomUUID();
            claimed(results, id);
            clock.advance(CLAIM_TIMEOUT);
            claimed(results, id);

            results.save(done(id, receipt(1))); // the slow first send, finishing after all
            results.save(done(id, receipt(2))); // the send that took over

            assertThat(results.find(id)).map(CompletedCommand::result).contains(receipt(1));
        }

        @Test
        void a_release_after_the_result_was_saved_changes_nothing() {
            UUID id = UUID.randomUUID();
            CommandClaim.Claimed claim = claimed(results, id);
            results.save(done(id, receipt(5)));

            results.release(claim);

            assertThat(results.find(id)).map(CompletedCommand::result).contains(receipt(5));
        }

        @RepeatedTest(5)
        void of_concurrent_claims_of_one_id_exactly_one_is_granted_also_across_instances() throws Exception {
            CommandResultStore other = fixture.capabilities().multipleInstances()
                    ? fixture.openCommandResultStore(options) : results;
            UUID id = UUID.randomUUID();
            CountDownLatch start = new CountDownLatch(1);
            List<CommandClaim> answers = new CopyOnWriteArrayList<>();
            List<Thread> claimers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                CommandResultStore store = i % 2 == 0 ? results : other;
                claimers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    answers.add(store.claim(id, TYPE));
                }));
            }

            start.countDown();
            for (Thread claimer : claimers) claimer.join(TimeUnit.SECONDS.toMillis(30));

            assertThat(answers).hasSize(8);
            assertThat(answers).as(ONCE).filteredOn(a -> a instanceof CommandClaim.Claimed).hasSize(1);
            assertThat(answers).as(ONCE).filteredOn(a -> a instanceof CommandClaim.Running).hasSize(7);
        }
    }

    @Nested
    class Retention {

        @Test
        void a_done_command_is_remembered_until_the_retention_ends() {
            UUID id = UUID.randomUUID();
            results.save(done(id, receipt(1)));

            clock.advance(RETENTION.minusSeconds(1));

            assertThat(results.find(id)).isPresent();
            assertThat(results.claim(id, TYPE)).isInstanceOf(CommandClaim.Done.class);
        }

        @Test
        void then_it_is_forgotten_and_a_resend_may_claim_it() {
            UUID id = UUID.randomUUID();
            results.save(done(id, receipt(1)));

            clock.advance(RETENTION.plusSeconds(1));

            assertThat(results.find(id)).isEmpty();
            claimed(results, id);
        }

        @Test
        void the_retention_counts_from_the_saved_result_not_from_the_claim() {
            UUID id = UUID.randomUUID();
            claimed(results, id);
            clock.advance(CLAIM_TIMEOUT.minusSeconds(1));
            results.save(done(id, receipt(1)));

            clock.advance(RETENTION.minusSeconds(1));

            assertThat(results.find(id)).isPresent();
        }

        @Test
        void prune_deletes_the_forgotten_commands_and_keeps_the_rest() {
            for (int i = 0; i < 3; i++) results.save(done(UUID.randomUUID(), receipt(i)));
            clock.advance(RETENTION.dividedBy(2));
            UUID recent = UUID.randomUUID();
            results.save(done(recent, receipt(9)));
            clock.advance(RETENTION.dividedBy(2).plusSeconds(1));

            assertThat(results.prune()).isEqualTo(3);
            assertThat(results.prune()).isZero();
            assertThat(results.find(recent)).isPresent();
        }

        @Test
        void prune_deletes_claims_abandoned_longer_ago_than_the_retention() {
            claimed(results, UUID.randomUUID());
            clock.advance(RETENTION.plusSeconds(1));

            assertThat(results.prune()).isEqualTo(1);
        }

        @Test
        void taking_a_claim_prunes_by_itself_once_a_minute_has_passed() {
            claimed(results, UUID.randomUUID()); // a first prune, now
            for (int i = 0; i < 4; i++) results.save(done(UUID.randomUUID(), receipt(i)));
            clock.advance(RETENTION.plusMinutes(1));

            claimed(results, UUID.randomUUID());

            assertThat(results.prune()).as("the forgotten rows were pruned by the claim already").isZero();
        }
    }

    @Nested
    class Across_instances {

        @Test
        void a_result_saved_by_one_instance_is_found_by_another_as_after_a_restart() {
            UUID id = UUID.randomUUID();
            claimed(results, id);
            results.save(done(id, receipt(8)));

            CommandResultStore restarted = fixture.openCommandResultStore(options);

            if (fixture.capabilities().multipleInstances()) {
                assertThat(restarted.find(id)).as(DURABLE).contains(done(id, receipt(8)));
                assertThat(restarted.claim(id, TYPE)).as(DURABLE).isEqualTo(new CommandClaim.Done(done(id, receipt(8))));
            } else {
                assertThat(restarted.find(id)).as("a store of one process forgets on restart").isEmpty();
            }
        }

        @Test
        void a_claim_held_by_one_instance_is_running_for_another() {
            UUID id = UUID.randomUUID();
            claimed(results, id);

            CommandClaim seen = fixture.openCommandResultStore(options).claim(id, TYPE);

            assertThat(seen).as(ONCE).isInstanceOf(fixture.capabilities().multipleInstances()
                    ? CommandClaim.Running.class : CommandClaim.Claimed.class);
        }
    }
}
