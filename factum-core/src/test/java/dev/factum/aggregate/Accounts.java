// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import java.math.BigDecimal;
import java.util.List;

/** The small Account example the aggregate tests run on, in two shapes of state. */
final class Accounts {
    private Accounts() {
    }

    sealed interface AccountEvent {}
    record AccountOpened(String owner) implements AccountEvent {}
    record MoneyDeposited(BigDecimal amount) implements AccountEvent {}
    record MoneyWithdrawn(BigDecimal amount) implements AccountEvent {}

    sealed interface AccountCommand {}
    record Open(String owner) implements AccountCommand {}
    record Deposit(BigDecimal amount) implements AccountCommand {}
    record Withdraw(BigDecimal amount) implements AccountCommand {}
    record Touch() implements AccountCommand {}

    record AccountState(boolean open, String owner, BigDecimal balance) {
        static final AccountState INITIAL = new AccountState(false, "", BigDecimal.ZERO);
    }

    /** The same account with a state class of another shape (a component added, one renamed). */
    record AccountStateV2(String holder, BigDecimal balance, int movements) {
        static final AccountStateV2 INITIAL = new AccountStateV2("", BigDecimal.ZERO, 0);
    }

    static Aggregate<AccountState, AccountEvent, AccountCommand> account() {
        return Aggregate.builder("Account", AccountState.class, AccountEvent.class, AccountCommand.class)
                .initialState(AccountState.INITIAL)
                .evolve(Accounts::evolve)
                .decide(Accounts::decide)
                .build();
    }

    static Aggregate<AccountStateV2, AccountEvent, AccountCommand> accountV2() {
        return Aggregate.builder("Account", AccountStateV2.class, AccountEvent.class, AccountCommand.class)
                .initialState(AccountStateV2.INITIAL)
                .evolve(Accounts::evolveV2)
                .decide((state, command) -> command instanceof Deposit d
                        ? List.<AccountEvent>of(new MoneyDeposited(d.amount())) : List.<AccountEvent>of())
                .build();
    }

    static AccountState evolve(AccountState s, AccountEvent e) {
        return switch (e) {
            case AccountOpened o -> new AccountState(true, o.owner(), s.balance());
            case MoneyDeposited d -> new AccountState(s.open(), s.owner(), s.balance().add(d.amount()));
            case MoneyWithdrawn w -> new AccountState(s.open(), s.owner(), s.balance().subtract(w.amount()));
        };
    }

    static AccountStateV2 evolveV2(AccountStateV2 s, AccountEvent e) {
        return switch (e) {
            case AccountOpened o -> new AccountStateV2(o.owner(), s.balance(), s.movements());
            case MoneyDeposited d -> new AccountStateV2(s.holder(), s.balance().add(d.amount()), s.movements() + 1);
            case MoneyWithdrawn w -> new AccountStateV2(s.holder(), s.balance().subtract(w.amount()), s.movements() + 1);
        };
    }

    static List<AccountEvent> decide(AccountState s, AccountCommand c) {
        return switch (c) {
            case Open o -> {
                if (s.open()) throw new RuleViolationException("account-already-open", "account is open already");
                yield List.of(new AccountOpened(o.owner()));
            }
            case Deposit d -> {
                requireOpen(s);
                requirePositive(d.amount());
                yield List.of(new MoneyDeposited(d.amount()));
            }
            case Withdraw w -> {
                requireOpen(s);
                requirePositive(w.amount());
                if (s.balance().compareTo(w.amount()) < 0) {
                    throw new RuleViolationException("insufficient-funds",
                            "cannot withdraw " + w.amount() + " from a balance of " + s.balance());
                }
                yield List.of(new MoneyWithdrawn(w.amount()));
            }
            case Touch t -> List.of();
        };
    }

    private static void requireOpen(AccountState s) {
        if (!s.open()) throw new RuleViolationException("account-not-open", "the account is not open");
    }

    private static void requirePositive(BigDecimal amount) {
        if (amount.signum() <= 0) throw new RuleViolationException("positive-amount", "amount must be positive, was " + amount);
    }
}
