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

import dev.factum.test.ProjectionFixtureTest.BalanceProjection;
import dev.factum.test.ProjectionFixtureTest.Balances;

import java.math.BigDecimal;

import static dev.factum.test.Accounts.ACCOUNT;
import static dev.factum.test.ProjectionFixtureTest.CODEC;
import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void the_projection_example_runs_as_written() {
        ProjectionFixture<Balances> fixture = ProjectionFixture.of(Balances::new, BalanceProjection::new, CODEC);

        fixture.given("Account-1", new AccountOpened("ada"), new MoneyDeposited(new BigDecimal("10")))
                .given("Account-2", new AccountOpened("bob"))
                .then(balances -> assertThat(balances.of("1")).isEqualByComparingTo("10"));
        fixture.given("Account-1", new AccountOpened("ada"), new MoneyWithdrawn(new BigDecimal("1")))
                .thenFails(IllegalStateException.class);                 // the projection's own refusal
    }
}
