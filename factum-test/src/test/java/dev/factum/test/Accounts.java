// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.RuleViolationException;

import java.math.BigDecimal;
import java.util.List;

/** The Account example aggregate the fixture tests run on. */
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
    record Explode() implements AccountCommand {}

    record Account(boolean open, String owner, BigDecimal balance) {
        static final Account NONE = new Account(false, "", BigDecimal.ZERO);
    }

    static final Aggregate<Account, AccountEvent, AccountCommand> ACCOUNT =
            Aggregate.builder("Account", Account.class, AccountEvent.class, AccountCommand.class)
                    .initialState(Account.NONE)
                    .evolve(Accounts::evolve)
                    .decide(Accounts::decide)
                    .build();

    static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }

    static Account evolve(Account s, AccountEvent e) {
        return switch (e) {
            case AccountOpened o -> new Account(true, o.owner(), s.balance());
            case MoneyDeposited d -> new Account(s.open(), s.owner(), s.balance().add(d.amount()));
            case MoneyWithdrawn w -> new Account(s.open(), s.owner(), s.balance().subtract(w.amount()));
        };
    }

    static List<AccountEvent> decide(Account s, AccountCommand c) {
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
            case Explode x -> throw new IllegalStateException("boom");
        };
    }

    private static void requireOpen(Account s) {
        if (!s.open()) throw new RuleViolationException("account-not-open", "the account is not open");
    }

    private static void requirePositive(BigDecimal amount) {
        if (amount.signum() <= 0) throw new RuleViolationException("positive-amount", "amount must be positive, was " + amount);
    }
}
