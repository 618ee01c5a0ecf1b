// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which messages a consumer receives, as a topic-exchange pattern over the routing key {@code Category.EventType}:
 * {@code Account.*} (every event of the {@code Account} category), {@code Account.AccountClosed} (one type), {@code *.*}
 * or {@code #} (everything). {@code *} stands for exactly one word, {@code #} for any number of words (zero
 * included); words are separated by dots and made of the characters a stream category or event type name may hold
 * (letters, digits, {@code _ - : $}). The same syntax as RabbitMQ's topic exchange, so a binding means the same on
 * every transport. A category or type name with dots in it spans several words: {@code Bank.Account.*} binds every
 * event of the category {@code Bank.Account}.
 *
 * @param pattern the pattern, e.g. {@code Account.*}
 * @since 0.1
 */
public record Binding(String pattern) {
    private static final Pattern CATEGORY_WORD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern WORDS = Pattern.compile("(\\*|#|[A-Za-z0-9_:$-]+)(\\.(\\*|#|[A-Za-z0-9_:$-]+))*");

    public Binding {
        if (pattern == null || !WORDS.matcher(pattern).matches()) {
            throw new IllegalArgumentException("binding '" + pattern + "' is not a topic pattern such as Account.* or "
                    + "Account.AccountOpened (words of letters, digits, _ - : or $, separated by dots; * one word, # any)");
        }
    }

    public static Binding of(String pattern) {
        return new Binding(pattern);
    }

    /** A binding to every event of one category: {@code Category.*}. */
    public static Binding category(String category) {
        return new Binding(category + ".*");
    }

    /**
     * The one stream category every message this binding matches belongs to, when the pattern says so for certain:
     * two words, the first a name, no {@code #} ({@code Account.*}, {@code Account.AccountOpened} → {@code Account}). Empty
     * otherwise — also for {@code Bank.Account.*}, because category and type names may contain dots, so the pattern
     * alone cannot tell where the category ends; and for a first word no stream category can have ({@code my-app.*}
     * matches nothing). A transport may then read only that category's events.
     */
    public Optional<String> streamCategory() {
        String[] words = pattern.split("\\.");
        if (words.length != 2 || words[1].equals("#") || !CATEGORY_WORD.matcher(words[0]).matches()) {
            return Optional.empty();
        }
        return Optional.of(words[0]);
    }

    /** Whether a message with {@code routingKey} ({@code Category.EventType}) matches. */
    public boolean matches(String routingKey) {
        return matches(pattern.split("\\."), 0, routingKey.split("\\."), 0);
    }

    private static boolean matches(String[] pattern, int p, String[] key, int k) {
        if (p == pattern.length) return k == key.length;
        if (pattern[p].equals("#")) {
            for (int skip = k; skip <= key.length; skip++) {
                if (matches(pattern, p + 1, key, skip)) return true;
            }
            return false;
        }
        if (k == key.length) return false;
        return (pattern[p].equals("*") || pattern[p].equals(key[k])) && matches(pattern, p + 1, key, k + 1);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
