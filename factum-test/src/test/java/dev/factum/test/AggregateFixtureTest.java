// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.aggregate.RuleViolationException;
import dev.factum.event.Metadata;
import dev.factum.test.Accounts.Account;
import dev.factum.test.Accounts.AccountEvent;
import dev.factum.test.Accounts.AccountOpened;
import dev.factum.test.Accounts.Deposit;
import dev.factum.test.Accounts.Explode;
import dev.factum.test.Accounts.MoneyDeposited;
import dev.factum.test.Accounts.MoneyWithdrawn;
import dev.factum.test.Accounts.Open;
import dev.factum.test.Accounts.Touch;
import dev.factum.test.Accounts.Withdraw;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.factum.test.Accounts.ACCOUNT;
import static dev.factum.test.Accounts.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AggregateFixtureTest {
    private static final AggregateFixture<Account, AccountEvent, Accounts.AccountCommand> OPENED_WITH_10 =
            AggregateFixture.of(ACCOUNT).given(new AccountOpened("ada"), new MoneyDeposited(money("10")));

    @Nested
    class Given {
        @Test
        void given_events_are_folded_with_the_aggregates_own_evolve() {
            OPENED_WITH_10.when(new Touch()).thenState(new Account(true, "ada", money("10")));
        }

        @Test
        void given_adds_to_the_history_and_leaves_the_original_fixture_alone() {
            var more = OPENED_WITH_10.given(List.of(new MoneyWithdrawn(money("4"))));

            assertThat(more.history()).hasSize(3);
            assertThat(OPENED_WITH_10.history()).hasSize(2);
            more.when(new Touch()).thenState(s -> s.balance().equals(money("6")));
        }

        @Test
        void given_nothing_starts_from_the_initial_state() {
            OPENED_WITH_10.givenNothing().when(new Open("bob")).then(new AccountOpened("bob"));
        }

        @Test
        void a_given_event_of_another_type_is_refused() {
            @SuppressWarnings({"unchecked", "rawtypes"})
            AggregateFixture<Account, Object, Object> raw = (AggregateFixture) AggregateFixture.of(ACCOUNT);

            assertThatThrownBy(() -> raw.given("not an account event"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AccountEvent");
        }

        @Test
        void a_history_that_evolve_cannot_fold_fails_the_when_not_the_assertion() {
            var throwing = AggregateFixture.of(dev.factum.aggregate.Aggregate
                    .builder("Account", Account.class, AccountEvent.class, Accounts.AccountCommand.class)
                    .initialState(Account.NONE)
                    .evolve((s, e) -> { throw new IllegalStateException("cannot fold " + e); })
                    .decide(Accounts::decide)
                    .build());

            assertThatThrownBy(() -> throwing.given(new AccountOpened("ada")).when(new Touch()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot fold");
        }
    }

    @Nested
    class Then_events {
        @Test
        void passes_when_the_command_causes_exactly_those_events() {
            OPENED_WITH_10.when(new Withdraw(money("4"))).then(new MoneyWithdrawn(money("4")));
        }

        @Test
        void fails_on_other_events_showing_expected_and_actual() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Withdraw(money("4"))).then(new MoneyWithdrawn(money("5"))))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("events caused by Withdraw[amount=4]")
                    .hasMessageContaining("MoneyWithdrawn[amount=5]")
                    .hasMessageContaining("MoneyWithdrawn[amount=4]");
        }

        @Test
        void fails_on_an_extra_or_a_missing_event() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Withdraw(money("4")))
                    .then(new MoneyWithdrawn(money("4")), new MoneyWithdrawn(money("4"))))
                    .isInstanceOf(AssertionError.class);
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Withdraw(money("4"))).then())
                    .isInstanceOf(AssertionError.class);
        }

        @Test
        void fails_when_the_command_was_refused_with_the_refusal_as_cause() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Withdraw(money("25"))).then(new MoneyWithdrawn(money("25"))))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to be accepted, but it was refused with rule 'insufficient-funds'")
                    .hasCauseInstanceOf(RuleViolationException.class);
        }
    }

    @Nested
    class Then_nothing {
        @Test
        void passes_when_the_command_causes_no_events() {
            OPENED_WITH_10.when(new Touch()).thenNothing();
        }

        @Test
        void fails_when_the_command_causes_events() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Deposit(money("1"))).thenNothing())
                    .isInstanceOf(AssertionError.class).hasMessageContaining("MoneyDeposited[amount=1]");
        }

        @Test
        void fails_when_the_command_was_refused() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Open("bob")).thenNothing())
                    .isInstanceOf(AssertionError.class).hasMessageContaining("account-already-open");
        }
    }

    @Nested
    class Then_refused {
        @Test
        void passes_with_the_exception_type_or_the_rule_name() {
            OPENED_WITH_10.when(new Withdraw(money("25")))
                    .thenRefused(RuleViolationException.class)
                    .thenRefused("insufficient-funds");
        }

        @Test
        void passes_with_any_exception_from_decide() {
            OPENED_WITH_10.when(new Explode()).thenRefused(IllegalStateException.class);
        }

        @Test
        void fails_when_the_command_was_accepted_listing_its_events() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Withdraw(money("4"))).thenRefused("insufficient-funds"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to be refused, but it was accepted with events [MoneyWithdrawn[amount=4]]");
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Touch()).thenRefused(RuleViolationException.class))
                    .isInstanceOf(AssertionError.class);
        }

        @Test
        void fails_on_another_rule_naming_both() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Withdraw(money("-1"))).thenRefused("insufficient-funds"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("insufficient-funds")
                    .hasMessageContaining("positive-amount");
        }

        @Test
        void fails_on_another_exception_type() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Explode()).thenRefused(RuleViolationException.class))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("IllegalStateException");
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Explode()).thenRefused("insufficient-funds"))
                    .isInstanceOf(AssertionError.class);
        }
    }

    @Nested
    class Then_state {
        @Test
        void passes_with_the_expected_state_or_a_matching_predicate() {
            OPENED_WITH_10.when(new Deposit(money("5")))
                    .then(new MoneyDeposited(money("5")))
                    .thenState(new Account(true, "ada", money("15")))
                    .thenState(s -> s.balance().compareTo(money("15")) == 0);
        }

        @Test
        void fails_on_another_state_showing_both() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Deposit(money("5"))).thenState(new Account(true, "ada", money("10"))))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("state after Deposit[amount=5]")
                    .hasMessageContaining("balance=15")
                    .hasMessageContaining("balance=10");
        }

        @Test
        void fails_when_the_predicate_does_not_match_showing_the_state() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Deposit(money("5"))).thenState(s -> !s.open()))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("balance=15");
        }

        @Test
        void fails_when_the_command_was_refused() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Open("bob")).thenState(s -> true))
                    .isInstanceOf(AssertionError.class).hasCauseInstanceOf(RuleViolationException.class);
        }
    }

    @Nested
    class When_handled_by_the_repository {
        @Test
        void the_events_are_stored_after_the_history_with_the_commands_metadata() {
            Metadata metadata = Metadata.create().withCorrelationId("conversation-1").withUserId("ada");

            OPENED_WITH_10.whenHandled(new Withdraw(money("4")), metadata)
                    .then(new MoneyWithdrawn(money("4")))
                    .thenState(new Account(true, "ada", money("6")))
                    .thenStored(stored -> {
                        assertThat(stored).singleElement().satisfies(e -> {
                            assertThat(e.version()).isEqualTo(3);
                            assertThat(e.type()).isEqualTo("MoneyWithdrawn");
                            assertThat(e.stream().toString()).isEqualTo("Account-fixture");
                            assertThat(e.metadata().correlationId()).isEqualTo("conversation-1");
                            assertThat(e.metadata().userId()).contains("ada");
                            assertThat(e.eventId()).isNotEqualTo(metadata.eventId());
                        });
                    });
        }

        @Test
        void refusals_are_outcomes_as_with_when() {
            OPENED_WITH_10.whenHandled(new Withdraw(money("25")), Metadata.create()).thenRefused("insufficient-funds");
            AggregateFixture.of(ACCOUNT).givenNothing().whenHandled(new Open("ada"), Metadata.create())
                    .then(new AccountOpened("ada"));
        }

        @Test
        void a_failing_stored_requirement_fails() {
            assertThatThrownBy(() -> OPENED_WITH_10.whenHandled(new Withdraw(money("4")), Metadata.create())
                    .thenStored(stored -> assertThat(stored).hasSize(2)))
                    .isInstanceOf(AssertionError.class);
        }

        @Test
        void stored_events_are_only_there_after_when_handled() {
            assertThatThrownBy(() -> OPENED_WITH_10.when(new Withdraw(money("4"))).thenStored(stored -> { }))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("use whenHandled");
        }
    }
}
