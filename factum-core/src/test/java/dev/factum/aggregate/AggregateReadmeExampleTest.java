// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.event.Metadata;
import dev.factum.store.EventStore;
import dev.factum.store.InMemoryEventStore;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keeps the "Aggregates" example of factum-core/README.md true: the code between the markers is the README's. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AggregateReadmeExampleTest {

    // README begin
    sealed interface AccountEvent {}
    record AccountOpened(String owner) implements AccountEvent {}
    record MoneyDeposited(BigDecimal amount) implements AccountEvent {}

    sealed interface AccountCommand {}
    record Open(String owner) implements AccountCommand {}
    record Deposit(BigDecimal amount) implements AccountCommand {}

    record Account(boolean open, BigDecimal balance) {
        static final Account NONE = new Account(false, BigDecimal.ZERO);

        Account evolve(AccountEvent event) {
            return switch (event) {                    // exhaustive: a new event type does not compile until handled
                case AccountOpened o -> new Account(true, balance);
                case MoneyDeposited d -> new Account(open, balance.add(d.amount()));
            };
        }

        List<AccountEvent> decide(AccountCommand command) {
            return switch (command) {
                case Open o when open -> throw new RuleViolationException("account-already-open", "account is open");
                case Open o -> List.of(new AccountOpened(o.owner()));
                case Deposit d when !open -> throw new RuleViolationException("account-not-open", "open it first");
                case Deposit d -> List.of(new MoneyDeposited(d.amount()));
            };
        }
    }

    static final Aggregate<Account, AccountEvent, AccountCommand> ACCOUNT =
            Aggregate.builder("Account", Account.class, AccountEvent.class, AccountCommand.class)
                    .initialState(Account.NONE)
                    .evolve(Account::evolve)
                    .decide(Account::decide)
                    .build();                          // the codec: registerSealed(AccountEvent.class)
    // README end

    @Test
    void the_readme_example_runs() {
        // README begin
        try (EventStore store = new InMemoryEventStore()) {
            var accounts = Repository.of(ACCOUNT, store, RepositoryOptions.defaults()
                    .maxAttempts(3)                                  // load-decide-append again on a concurrent writer
                    .snapshots(new InMemorySnapshotStore(), 100));  // optional

            accounts.handle("42", new Open("ada"), Metadata.create().withUserId("ada"));
            HandledCommand<Account, AccountEvent> deposited =
                    accounts.handle("42", new Deposit(new BigDecimal("19.99")), Metadata.create());

            assertThat(deposited.version()).isEqualTo(2);                      // appended with ExpectedVersion.exactly(1)
            assertThat(accounts.load("42").state().balance()).isEqualByComparingTo("19.99");
            assertThatThrownBy(() -> accounts.handle("42", new Open("bob"), Metadata.create()))
                    .isInstanceOf(RuleViolationException.class);               // rule() == "account-already-open"
        }
        // README end
    }
}
