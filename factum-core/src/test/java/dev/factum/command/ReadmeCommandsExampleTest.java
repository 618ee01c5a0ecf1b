// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.event.NewEvent;
import dev.factum.query.Query;
import dev.factum.query.QueryBus;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The "Commands and queries" example of factum-core/README.md, as written there. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadmeCommandsExampleTest {

    record Deposit(String accountId, long cents) implements Command<Long> {}
    record Balance(String accountId) implements Query<Long> {}

    @Test
    void the_readme_example_runs_as_written() {
        try (InMemoryEventStore store = new InMemoryEventStore()) {
            Map<String, Long> balances = Map.of("a-1", 100L);

            CommandBus commands = CommandBus.builder()
                    .handler(Deposit.class, (command, context) -> store.append(
                            StreamId.of("Account", command.accountId()), ExpectedVersion.any(),
                            List.of(new NewEvent("Deposited", "{\"cents\":" + command.cents() + "}", context.eventMetadata())))
                            .lastVersion())
                    .interceptor(CommandInterceptors.logging())
                    .interceptor(CommandInterceptors.metrics(CommandMetrics.NONE))
                    .interceptor(CommandInterceptors.validation(c -> c instanceof Deposit d && d.cents() <= 0
                            ? List.of("cents must be positive") : List.of()))
                    .interceptor(CommandInterceptors.idempotency(new InMemoryCommandResultStore()))
                    .build();
            QueryBus queries = QueryBus.builder().handler(Balance.class, q -> balances.get(q.accountId())).build();

            CommandContext context = CommandContext.create().withUserId("u-7"); // keep it to resend the same command
            long version = commands.send(new Deposit("a-1", 100), context);
            long balance = queries.ask(new Balance("a-1"));

            assertThat(version).isEqualTo(1L);
            assertThat(commands.send(new Deposit("a-1", 100), context)).as("resent: the first result").isEqualTo(1L);
            assertThat(balance).isEqualTo(100L);
        }
    }
}
