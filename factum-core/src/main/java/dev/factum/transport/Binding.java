// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import java.util.regex.Pattern;

/**
 * Which messages a consumer receives, as a topic-exchange pattern over the routing key {@code Category.EventType}:
 * {@code Order.*} (every event of the {@code Order} category), {@code Order.OrderSubmitted} (one type), {@code *.*}
 * or {@code #} (everything). {@code *} stands for exactly one word, {@code #} for any number of words; words are
 * separated by dots. The same syntax as RabbitMQ's topic exchange, so a binding means the same on every transport.
 *
 * @param pattern the pattern, e.g. {@code Order.*}
 * @since 0.1
 */
public record Binding(String pattern) {
    private static final Pattern WORDS = Pattern.compile("(\\*|#|[A-Za-z0-9_-]+)(\\.(\\*|#|[A-Za-z0-9_-]+))*");

    public Binding {
        if (pattern == null || !WORDS.matcher(pattern).matches()) {
            throw new IllegalArgumentException("binding '" + pattern + "' is not a topic pattern such as Order.* or "
                    + "Order.OrderCreated (words of letters, digits, _ or -, separated by dots; * one word, # any)");
        }
    }

    public static Binding of(String pattern) {
        return new Binding(pattern);
    }

    /** A binding to every event of one category: {@code Category.*}. */
    public static Binding category(String category) {
        return new Binding(category + ".*");
    }

    /** The category this binding names, or {@code null} when its first word is a wildcard. */
    public String categoryOrNull() {
        String first = pattern.split("\\.", 2)[0];
        return first.equals("*") || first.equals("#") ? null : first;
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
