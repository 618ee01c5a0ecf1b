// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.aggregate.Accounts.AccountCommand;
import dev.factum.aggregate.Accounts.AccountEvent;
import dev.factum.aggregate.Accounts.AccountOpened;
import dev.factum.aggregate.Accounts.AccountState;
import dev.factum.aggregate.Accounts.Deposit;
import dev.factum.aggregate.Accounts.MoneyDeposited;
import dev.factum.aggregate.Accounts.Open;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AggregateTest {
    private final Aggregate<AccountState, AccountEvent, AccountCommand> account = Accounts.account();

    @Test
    void folds_events_from_a_state_with_its_own_evolve() {
        AccountState state = account.fold(account.initialState(),
                List.of(new AccountOpened("ada"), new MoneyDeposited(BigDecimal.TEN)));

        assertThat(state).isEqualTo(new AccountState(true, "ada", BigDecimal.TEN));
    }

    @Test
    void decides_events_from_a_command_or_refuses_it_naming_the_rule() {
        AccountState open = account.fold(account.initialState(), List.of(new AccountOpened("ada")));

        assertThat(account.decide(open, new Deposit(BigDecimal.ONE))).containsExactly(new MoneyDeposited(BigDecimal.ONE));
        assertThatThrownBy(() -> account.decide(open, new Open("bob")))
                .isInstanceOf(RuleViolationException.class)
                .satisfies(e -> assertThat(((RuleViolationException) e).rule()).isEqualTo("account-already-open"));
    }

    @Test
    void names_its_streams_by_its_category_and_encodes_its_events_with_a_codec_built_from_the_sealed_interface() {
        assertThat(account.streamId("42")).isEqualTo(StreamId.of("Account", "42"));
        assertThat(account.codec().typeOf(MoneyDeposited.class)).contains("MoneyDeposited");
        assertThat(account.codec().encode(new AccountOpened("ada")).type()).isEqualTo("AccountOpened");
    }

    @Test
    void refuses_a_definition_with_a_missing_part_or_a_malformed_category() {
        assertThatThrownBy(() -> Aggregate.builder("Account", AccountState.class, AccountEvent.class, AccountCommand.class)
                .evolve(Accounts::evolve).decide(Accounts::decide).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no initial state");
        assertThatThrownBy(() -> Aggregate.builder("Account", AccountState.class, AccountEvent.class, AccountCommand.class)
                .initialState(AccountState.INITIAL).decide(Accounts::decide).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no evolve");
        assertThatThrownBy(() -> Aggregate.builder("Account", AccountState.class, AccountEvent.class, AccountCommand.class)
                .initialState(AccountState.INITIAL).evolve(Accounts::evolve).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no decide");
        assertThatThrownBy(() -> Aggregate.builder("Bank-Account", AccountState.class, AccountEvent.class, AccountCommand.class))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_rule_violation_needs_a_rule_name() {
        assertThatThrownBy(() -> new RuleViolationException(" ", "refused"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rule name");
        assertThat(new RuleViolationException("positive-amount", "amount must be positive"))
                .hasMessage("amount must be positive").isInstanceOf(dev.factum.FactumException.class);
    }
}
