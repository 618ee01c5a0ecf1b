// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.test.Accounts.Account;
import dev.factum.test.Accounts.AccountCommand;
import dev.factum.test.Accounts.AccountEvent;
import dev.factum.test.Accounts.AccountOpened;
import dev.factum.test.Accounts.MoneyDeposited;
import dev.factum.test.Accounts.MoneyWithdrawn;
import dev.factum.test.Accounts.Open;
import dev.factum.test.Accounts.Touch;
import dev.factum.test.Accounts.Withdraw;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static dev.factum.test.Accounts.ACCOUNT;

/** The examples of the "Fixtures" section of factum-test/README.md, as written there. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FixturesReadmeExampleTest {

    @Test
    void the_aggregate_example_runs_as_written() {
        AggregateFixture<Account, AccountEvent, AccountCommand> opened =
                AggregateFixture.of(ACCOUNT).given(new AccountOpened("ada"), new MoneyDeposited(new BigDecimal("10")));

        opened.when(new Withdraw(new BigDecimal("4")))
                .then(new MoneyWithdrawn(new BigDecimal("4")))          // exactly these events, in this order (equals)
                .thenState(new Account(true, "ada", new BigDecimal("6"))); // state after history + new events
        opened.when(new Touch()).thenNothing();                        // accepted, no events
        opened.when(new Withdraw(new BigDecimal("25"))).thenRefused("insufficient-funds"); // RuleViolationException.rule()
        opened.when(new Open("bob")).thenRefused(RuleViolationException.class);            // or any exception type
        AggregateFixture.of(ACCOUNT).givenNothing().when(new Open("ada")).then(new AccountOpened("ada"));
    }
}
