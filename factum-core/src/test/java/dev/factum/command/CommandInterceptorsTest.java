// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.event.NewEvent;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandInterceptorsTest {

    record Deposit(String accountId, long cents) implements Command<Long> {
    }

    record Withdraw(String accountId, long cents) implements Command<Long> {
    }

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void close() {
        store.close();
    }

    /** Appends one event and answers the stream's new version: each run has a visible effect. */
    private long deposit(Deposit command, CommandContext context) {
        runs.incrementAndGet();
        NewEvent deposited = new NewEvent("Deposited", "{\"cents\":" + command.cents() + "}", context.eventMetadata());
        return store.append(StreamId.of("Account", command.accountId()), ExpectedVersion.any(), List.of(deposited))
                .lastVersion();
    }

    private int effects(String accountId) {
        return store.readStream(StreamId.of("Account", accountId), ReadStreamOptions.forward()).size();
    }

    @Nested
    class Validation {
        private final CommandBus bus = CommandBus.builder()
                .handler(Deposit.class, CommandInterceptorsTest.this::deposit)
                .interceptor(CommandInterceptors.validation(command -> {
                    List<String> problems = new ArrayList<>();
                    if (command instanceof Deposit d) {
                        if (d.cents() <= 0) problems.add("cents must be positive");
                        if (d.accountId().isBlank()) problems.add("account id is blank");
                    }
                    return problems;
                }))
                .build();

        @Test
        void a_valid_command_reaches_its_handler() {
            assertThat(bus.send(new Deposit("a-1", 100))).isEqualTo(1L);
        }

        @Test
        void a_refused_command_names_every_problem_and_its_handler_is_not_called() {
            assertThatThrownBy(() -> bus.send(new Deposit(" ", 0)))
                    .isInstanceOfSatisfying(InvalidCommandException.class, e -> {
                        assertThat(e.commandType()).isEqualTo("Deposit");
                        assertThat(e.problems()).containsExactly("cents must be positive", "account id is blank");
                        assertThat(e.getMessage()).contains("Deposit", "cents must be positive", "account id is blank");
                    });
            assertThat(runs).hasValue(0);
        }
    }

    @Nested
    class Idempotency {
        private final InMemoryCommandResultStore results = new InMemoryCommandResultStore();
        private final CommandBus bus = CommandBus.builder()
                .handler(Deposit.class, CommandInterceptorsTest.this::deposit)
                .handler(Withdraw.class, (command, context) -> 0L)
                .interceptor(CommandInterceptors.idempotency(results))
                .build();

        @Test
        void a_resent_command_returns_the_first_result_and_has_no_second_effect() {
            CommandContext context = CommandContext.create();

            long first = bus.send(new Deposit("a-1", 100), context);
            long again = bus.send(new Deposit("a-1", 100), context);

            assertThat(again).isEqualTo(first);
            assertThat(runs).hasValue(1);
            assertThat(effects("a-1")).isEqualTo(1);
        }

        @Test
        void commands_with_different_ids_each_take_effect() {
            bus.send(new Deposit("a-1", 100));
            bus.send(new Deposit("a-1", 100));

            assertThat(effects("a-1")).isEqualTo(2);
        }

        @RepeatedTest(10)
        void concurrent_sends_with_the_same_id_run_the_handler_once_and_all_get_its_result() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            CommandBus blocking = CommandBus.builder()
                    .handler(Deposit.class, (command, context) -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                        return deposit(command, context);
                    })
                    .interceptor(CommandInterceptors.idempotency(results))
                    .build();
            CommandContext context = CommandContext.create();
            List<Long> answers = new CopyOnWriteArrayList<>();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                senders.add(Thread.ofPlatform().start(() -> answers.add(blocking.send(new Deposit("a-1", 100), context))));
            }

            // every sender is parked: one in the handler, the others behind it
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> senders.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
            release.countDown();
            for (Thread sender : senders) sender.join(Duration.ofSeconds(10));

            assertThat(answers).hasSize(8).containsOnly(1L);
            assertThat(runs).hasValue(1);
            assertThat(effects("a-1")).isEqualTo(1);
        }

        @Test
        void a_failed_command_is_not_recorded_so_it_can_be_sent_again_with_the_same_id() {
            AtomicInteger attempts = new AtomicInteger();
            CommandBus flaky = CommandBus.builder()
                    .handler(Deposit.class, (command, context) -> {
                        if (attempts.incrementAndGet() == 1) throw new IllegalStateException("store unavailable");
                        return deposit(command, context);
                    })
                    .interceptor(CommandInterceptors.idempotency(results))
                    .build();
            CommandContext context = CommandContext.create();

            assertThatThrownBy(() -> flaky.send(new Deposit("a-1", 100), context))
                    .hasMessageContaining("store unavailable");
            long retried = flaky.send(new Deposit("a-1", 100), context);
            long resent = flaky.send(new Deposit("a-1", 100), context);

            assertThat(retried).isEqualTo(1L);
            assertThat(resent).isEqualTo(1L);
            assertThat(attempts).hasValue(2);
            assertThat(effects("a-1")).isEqualTo(1);
        }

        @Test
        void an_id_reused_for_a_command_of_another_type_is_refused() {
            CommandContext context = CommandContext.create();
            bus.send(new Deposit("a-1", 100), context);

            assertThatThrownBy(() -> bus.send(new Withdraw("a-1", 100), context))
                    .isInstanceOfSatisfying(DuplicateCommandIdException.class, e -> {
                        assertThat(e.commandId()).isEqualTo(context.commandId());
                        assertThat(e.recordedType()).endsWith("Deposit");
                        assertThat(e.sentType()).endsWith("Withdraw");
                    });
        }

        @Test
        void a_result_that_cannot_be_recorded_is_still_returned_and_the_claim_is_kept() {
            FailingSaves failing = new FailingSaves(results);
            CommandBus unrecorded = CommandBus.builder()
                    .handler(Deposit.class, CommandInterceptorsTest.this::deposit)
                    .interceptor(CommandInterceptors.idempotency(failing))
                    .build();
            CommandContext context = CommandContext.create();

            long answer = unrecorded.send(new Deposit("a-1", 100), context);

            assertThat(answer).isEqualTo(1L);
            assertThat(failing.saves).hasValue(1);
            assertThat(results.claim(context.commandId(), Deposit.class.getName()))
                    .as("the claim stays until it is abandoned, so a resend does not run at once")
                    .isInstanceOf(CommandClaim.Running.class);
        }

        @Test
        void a_failing_handler_releases_its_claim_and_a_failing_release_is_kept_as_suppressed() {
            FailingReleases failing = new FailingReleases(results);
            CommandBus flaky = CommandBus.builder()
                    .handler(Deposit.class, (command, context) -> {
                        throw new IllegalStateException("handler failed on purpose");
                    })
                    .interceptor(CommandInterceptors.idempotency(failing))
                    .build();

            assertThatThrownBy(() -> flaky.send(new Deposit("a-1", 100)))
                    .hasMessage("handler failed on purpose")
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                            .satisfies(s -> assertThat(s).hasMessage("release failed on purpose")));
        }

        @Test
        void a_send_waits_while_another_bus_holds_the_claim_and_answers_its_result() throws Exception {
            CommandContext context = CommandContext.create();
            CommandClaim.Claimed held = (CommandClaim.Claimed) results.claim(context.commandId(), Deposit.class.getName());
            List<Long> answers = new CopyOnWriteArrayList<>();
            Thread sender = Thread.ofPlatform().start(() -> answers.add(bus.send(new Deposit("a-1", 100), context)));

            await().atMost(Duration.ofSeconds(10)).until(() -> sender.getState() == Thread.State.TIMED_WAITING);
            results.save(new CompletedCommand(held.commandId(), Deposit.class.getName(), 42L));
            sender.join(Duration.ofSeconds(10));

            assertThat(answers).containsExactly(42L);
            assertThat(runs).hasValue(0);
        }

        @Test
        void the_in_memory_store_forgets_the_oldest_commands_beyond_its_capacity() {
            InMemoryCommandResultStore small = new InMemoryCommandResultStore(2);
            UUID first = UUID.randomUUID();
            small.save(new CompletedCommand(first, "Deposit", 1L));
            small.save(new CompletedCommand(UUID.randomUUID(), "Deposit", 2L));
            small.save(new CompletedCommand(UUID.randomUUID(), "Deposit", 3L));

            assertThat(small.size()).isEqualTo(2);
            assertThat(small.find(first)).isEmpty();
        }

        @Test
        void the_first_saved_result_stands() {
            UUID id = UUID.randomUUID();
            results.save(new CompletedCommand(id, "Deposit", 1L));
            results.save(new CompletedCommand(id, "Deposit", 2L));

            assertThat(results.find(id)).map(CompletedCommand::result).contains(1L);
        }
    }

    @Nested
    class Metrics {
        record Call(String type, Duration took, CommandMetrics.Outcome outcome) {
        }

        private final List<Call> calls = new CopyOnWriteArrayList<>();
        private final CommandBus bus = CommandBus.builder()
                .handler(Deposit.class, CommandInterceptorsTest.this::deposit)
                .handler(Withdraw.class, (command, context) -> {
                    throw new IllegalStateException("insufficient funds");
                })
                .interceptor(CommandInterceptors.metrics(new CommandMetrics() {
                    @Override
                    public void commandHandled(String commandType, Duration took, Outcome outcome) {
                        calls.add(new Call(commandType, took, outcome));
                    }
                }))
                .interceptor(CommandInterceptors.validation(
                        command -> command instanceof Deposit d && d.cents() <= 0 ? List.of("cents must be positive") : List.of()))
                .build();

        @Test
        void the_hook_hears_the_type_duration_and_outcome_of_every_command() {
            bus.send(new Deposit("a-1", 100));
            assertThatThrownBy(() -> bus.send(new Deposit("a-1", 0))).isInstanceOf(InvalidCommandException.class);
            assertThatThrownBy(() -> bus.send(new Withdraw("a-1", 100))).hasMessageContaining("insufficient funds");

            assertThat(calls).extracting(Call::type, Call::outcome).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("Deposit", CommandMetrics.Outcome.SUCCEEDED),
                    org.assertj.core.groups.Tuple.tuple("Deposit", CommandMetrics.Outcome.INVALID),
                    org.assertj.core.groups.Tuple.tuple("Withdraw", CommandMetrics.Outcome.FAILED));
            assertThat(calls).allSatisfy(call -> assertThat(call.took().isNegative()).isFalse());
        }
    }

    @Nested
    class Logging {

        @Test
        void logging_passes_results_and_errors_through_unchanged() {
            IllegalStateException broken = new IllegalStateException("insufficient funds");
            CommandBus bus = CommandBus.builder()
                    .handler(Deposit.class, CommandInterceptorsTest.this::deposit)
                    .handler(Withdraw.class, (command, context) -> {
                        throw broken;
                    })
                    .interceptor(CommandInterceptors.logging())
                    .build();

            assertThat(bus.send(new Deposit("a-1", 100))).isEqualTo(1L);
            assertThatThrownBy(() -> bus.send(new Withdraw("a-1", 100))).isSameAs(broken);
        }
    }

    @Nested
    class Full_chain {

        @Test
        void a_refused_command_is_not_recorded_as_done_and_a_corrected_resend_with_its_id_takes_effect() {
            CommandBus bus = CommandBus.builder()
                    .handler(Deposit.class, CommandInterceptorsTest.this::deposit)
                    .interceptor(CommandInterceptors.logging())
                    .interceptor(CommandInterceptors.metrics(CommandMetrics.NONE))
                    .interceptor(CommandInterceptors.validation(
                            command -> command instanceof Deposit d && d.cents() <= 0 ? List.of("cents must be positive") : List.of()))
                    .interceptor(CommandInterceptors.idempotency(new InMemoryCommandResultStore()))
                    .build();
            CommandContext context = CommandContext.create();

            assertThatThrownBy(() -> bus.send(new Deposit("a-1", 0), context)).isInstanceOf(InvalidCommandException.class);
            long version = bus.send(new Deposit("a-1", 100), context);
            long again = bus.send(new Deposit("a-1", 100), context);

            assertThat(version).isEqualTo(1L);
            assertThat(again).isEqualTo(1L);
            assertThat(effects("a-1")).isEqualTo(1);
        }
    }

    /** A store whose saves fail (after counting them), as a store that is down or cannot keep the result would. */
    private static final class FailingSaves extends Delegating {
        final AtomicInteger saves = new AtomicInteger();

        FailingSaves(CommandResultStore delegate) {
            super(delegate);
        }

        @Override
        public void save(CompletedCommand completed) {
            saves.incrementAndGet();
            throw new IllegalStateException("save failed on purpose");
        }
    }

    /** A store whose releases fail. */
    private static final class FailingReleases extends Delegating {
        FailingReleases(CommandResultStore delegate) {
            super(delegate);
        }

        @Override
        public void release(CommandClaim.Claimed claim) {
            throw new IllegalStateException("release failed on purpose");
        }
    }

    private static class Delegating implements CommandResultStore {
        private final CommandResultStore delegate;

        Delegating(CommandResultStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public java.util.Optional<CompletedCommand> find(UUID commandId) {
            return delegate.find(commandId);
        }

        @Override
        public CommandClaim claim(UUID commandId, String commandType) {
            return delegate.claim(commandId, commandType);
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
