// SPDX-License-Identifier: Apache-2.0
package dev.factum.test.conformance;

import dev.factum.command.Command;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandClaim;
import dev.factum.command.CommandContext;
import dev.factum.command.CommandInterceptors;
import dev.factum.command.CommandResultOptions;
import dev.factum.command.CommandResultStore;
import dev.factum.command.CompletedCommand;
import dev.factum.command.DuplicateCommandIdException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link CommandInterceptors#idempotency(CommandResultStore)} over the store: a command resent with the same id has no
 * second effect and answers the first result — after a restart too, where the store is durable; concurrent sends of
 * one id run the handler once, in one process and across two store instances (two processes); a failed command can
 * be sent again; and the rule for a process that died between claim and result: its claim is abandoned after the
 * claim timeout and the next send runs the handler. Subclass it once per store, overriding {@link #createFixture()}
 * only.
 *
 * @since 0.1
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class IdempotentCommandConformance extends StoreSuite {
    private static final String ONCE = "a command resent with the same id has no second effect";
    /** A ceiling for waiting, never a speed requirement. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** What the handler answers: which of its runs this was, so a second run would show. */
    public record Deposited(String account, long cents, int run) {
    }

    /** The command under test. */
    public record Deposit(String account, long cents) implements Command<Deposited> {
    }

    /** Another command type, for a reused id. */
    public record Withdraw(String account, long cents) implements Command<Deposited> {
    }

    private AdjustableClock clock;
    private CommandResultOptions options;
    private CommandResultStore results;
    private final AtomicInteger runs = new AtomicInteger();

    @BeforeEach
    protected final void openResults() {
        clock = new AdjustableClock(Instant.parse("2030-01-01T00:00:00Z"));
        options = CommandResultOptions.defaults().withRetention(Duration.ofHours(1))
                .withClaimTimeout(Duration.ofSeconds(30)).withClock(clock);
        results = fixture.commandResultStore(options);
    }

    private Deposited deposit(Deposit command) {
        return new Deposited(command.account(), command.cents(), runs.incrementAndGet());
    }

    private CommandBus bus(CommandResultStore store) {
        return CommandBus.builder()
                .handler(Deposit.class, (command, context) -> deposit(command))
                .handler(Withdraw.class, (command, context) -> new Deposited(command.account(), -command.cents(), 0))
                .interceptor(CommandInterceptors.idempotency(store))
                .build();
    }

    /** The store of a second process: another instance over the database, or the same store where there is none. */
    private CommandResultStore otherProcess() {
        return fixture.capabilities().multipleInstances() ? fixture.openCommandResultStore(options) : results;
    }

    @Nested
    class Resending {

        @Test
        void a_resent_command_answers_the_first_result_and_runs_once() {
            CommandBus bus = bus(results);
            CommandContext context = CommandContext.create();

            Deposited first = bus.send(new Deposit("a-1", 100), context);
            Deposited again = bus.send(new Deposit("a-1", 100), context);

            assertThat(again).as(ONCE).isEqualTo(first);
            assertThat(runs).as(ONCE).hasValue(1);
        }

        @Test
        void commands_with_different_ids_each_run() {
            CommandBus bus = bus(results);

            bus.send(new Deposit("a-1", 100), CommandContext.create());
            bus.send(new Deposit("a-1", 100), CommandContext.create());

            assertThat(runs).hasValue(2);
        }

        @Test
        void a_failed_command_is_not_recorded_and_can_be_sent_again_with_its_id() {
            AtomicInteger attempts = new AtomicInteger();
            CommandBus flaky = CommandBus.builder()
                    .handler(Deposit.class, (command, context) -> {
                        if (attempts.incrementAndGet() == 1) throw new IllegalStateException("failed on purpose");
                        return deposit(command);
                    })
                    .interceptor(CommandInterceptors.idempotency(results))
                    .build();
            CommandContext context = CommandContext.create();

            assertThatThrownBy(() -> flaky.send(new Deposit("a-1", 100), context)).hasMessage("failed on purpose");
            assertThat(results.find(context.commandId())).isEmpty();
            Deposited retried = flaky.send(new Deposit("a-1", 100), context);
            Deposited resent = flaky.send(new Deposit("a-1", 100), context);

            assertThat(resent).isEqualTo(retried);
            assertThat(runs).as(ONCE).hasValue(1);
        }

        @Test
        void an_id_reused_by_a_command_of_another_type_is_refused() {
            CommandBus bus = bus(results);
            CommandContext context = CommandContext.create();
            bus.send(new Deposit("a-1", 100), context);

            assertThatThrownBy(() -> bus.send(new Withdraw("a-1", 100), context))
                    .isInstanceOfSatisfying(DuplicateCommandIdException.class, e -> {
                        assertThat(e.recordedType()).isEqualTo(Deposit.class.getName());
                        assertThat(e.sentType()).isEqualTo(Withdraw.class.getName());
                    });
        }

        @Test
        void after_a_restart_a_resend_answers_the_first_result_where_the_store_is_durable() {
            CommandContext context = CommandContext.create();
            Deposited first = bus(results).send(new Deposit("a-1", 100), context);

            Deposited afterRestart = bus(fixture.openCommandResultStore(options)).send(new Deposit("a-1", 100), context);

            if (fixture.capabilities().multipleInstances()) {
                assertThat(afterRestart).as(ONCE + ", across a restart").isEqualTo(first);
                assertThat(runs).as(ONCE + ", across a restart").hasValue(1);
            } else {
                assertThat(runs).as("a store of one process forgets on restart, so the command runs again").hasValue(2);
            }
        }
    }

    @Nested
    class Concurrent_duplicates {

        @RepeatedTest(5)
        void in_one_process_run_the_handler_once_and_all_get_its_result() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            CommandBus blocking = CommandBus.builder()
                    .handler(Deposit.class, (command, context) -> {
                        awaitQuietly(release);
                        return deposit(command);
                    })
                    .interceptor(CommandInterceptors.idempotency(results))
                    .build();
            CommandContext context = CommandContext.create();
            List<Deposited> answers = new CopyOnWriteArrayList<>();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                senders.add(Thread.ofPlatform().start(() -> answers.add(blocking.send(new Deposit("a-1", 100), context))));
            }

            await().atMost(PATIENCE).until(() -> senders.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            release.countDown();
            for (Thread sender : senders) sender.join(PATIENCE);

            assertThat(answers).hasSize(6).containsOnly(new Deposited("a-1", 100, 1));
            assertThat(runs).as(ONCE).hasValue(1);
        }

        @RepeatedTest(5)
        void in_two_processes_run_the_handler_once_and_both_get_its_result() throws Exception {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CommandBus first = CommandBus.builder()
                    .handler(Deposit.class, (command, context) -> {
                        entered.countDown();
                        awaitQuietly(release);
                        return deposit(command);
                    })
                    .interceptor(CommandInterceptors.idempotency(results))
                    .build();
            CountingRunning second = new CountingRunning(otherProcess());
            CommandContext context = CommandContext.create();
            List<Deposited> answers = new CopyOnWriteArrayList<>();

            Thread one = Thread.ofPlatform().start(() -> answers.add(first.send(new Deposit("a-1", 100), context)));
            await().atMost(PATIENCE).until(() -> entered.getCount() == 0);
            Thread two = Thread.ofPlatform().start(() -> answers.add(bus(second).send(new Deposit("a-1", 100), context)));
            await().atMost(PATIENCE).until(() -> second.running.get() > 0); // the second process waits for the first
            release.countDown();
            one.join(PATIENCE);
            two.join(PATIENCE);

            assertThat(answers).hasSize(2).containsOnly(new Deposited("a-1", 100, 1));
            assertThat(runs).as(ONCE).hasValue(1);
        }
    }

    @Nested
    class A_process_that_dies_between_claim_and_result {

        @Test
        void leaves_a_claim_that_resends_wait_for_until_the_claim_timeout_then_the_handler_runs_once_more() throws Exception {
            // given: a process claimed the command, then died before it saved a result or released the claim
            CommandContext context = CommandContext.create();
            otherProcess().claim(context.commandId(), Deposit.class.getName());
            CountingRunning store = new CountingRunning(results);
            List<Deposited> answers = new CopyOnWriteArrayList<>();

            // when: the client resends; it waits while the claim is live
            Thread resend = Thread.ofPlatform().start(() -> answers.add(bus(store).send(new Deposit("a-1", 100), context)));
            await().atMost(PATIENCE).until(() -> store.running.get() > 0);
            assertThat(runs).as("a live claim is not run again").hasValue(0);
            clock.advance(options.claimTimeout());
            resend.join(PATIENCE);

            // then: the abandoned claim was taken over, the handler ran, and later resends answer that result
            assertThat(answers).containsExactly(new Deposited("a-1", 100, 1));
            assertThat(bus(results).send(new Deposit("a-1", 100), context)).isEqualTo(new Deposited("a-1", 100, 1));
            assertThat(runs).hasValue(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A store that counts the claims it answered with {@link CommandClaim.Running}: a send seen waiting. */
    private static final class CountingRunning implements CommandResultStore {
        final AtomicInteger running = new AtomicInteger();
        private final CommandResultStore delegate;

        CountingRunning(CommandResultStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<CompletedCommand> find(UUID commandId) {
            return delegate.find(commandId);
        }

        @Override
        public CommandClaim claim(UUID commandId, String commandType) {
            CommandClaim claim = delegate.claim(commandId, commandType);
            if (claim instanceof CommandClaim.Running) running.incrementAndGet();
            return claim;
        }

        @Override
        public void save(CompletedCommand completed) {
            delegate.save(completed);
        }

        @Override
        public void release(CommandClaim.Claimed claim) {
            delegate.release(claim);
        }

        @Override
        public int prune() {
            return delegate.prune();
        }
    }
}
