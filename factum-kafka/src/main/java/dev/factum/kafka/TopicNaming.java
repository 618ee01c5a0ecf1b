// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link KafkaTransport} names its topics. {@link #prefixed(String)} is the default and the one to use unless
 * topic names are dictated from outside:
 * <ul>
 *   <li>one topic per stream category: {@code <prefix><Category>} ({@code factum.Account});</li>
 *   <li>one dead-letter topic per consumer: {@code <prefix><consumer>-dlt} ({@code factum.billing-dlt});</li>
 *   <li>one consumer group per consumer: {@code <prefix><consumer>} ({@code factum.billing}), so two deployments
 *       with different prefixes share a cluster without sharing consumer groups.</li>
 * </ul>
 * A stream category may not contain {@code -} ({@link dev.factum.store.StreamId}), so a dead-letter topic never has a
 * category topic's name, and {@link #categoryTopics()} (used for bindings that name no single category, such as
 * {@code #}) never matches a dead-letter topic.
 *
 * <p>A custom naming must keep those two properties: {@link #topic(String)} is one-to-one, and
 * {@link #categoryTopics()} matches every category topic and no dead-letter topic. Every name is checked against
 * Kafka's rules (1–249 characters of {@code A-Z a-z 0-9 . _ -}, not {@code .} or {@code ..}).
 *
 * @since 0.1
 */
public interface TopicNaming {
    /** The prefix of every topic name when none is configured. */
    String DEFAULT_PREFIX = "factum.";

    /** The topic of the events of stream category {@code category}. */
    String topic(String category);

    /** The dead-letter topic of consumer {@code consumer}. */
    String deadLetterTopic(String consumer);

    /** A pattern matching every category topic of this naming (and no dead-letter topic). */
    Pattern categoryTopics();

    /** The consumer group ({@code group.id}) of consumer {@code consumer}. */
    String consumerGroup(String consumer);

    /** {@code <prefix><Category>}, {@code <prefix><consumer>-dlt} and the group {@code <prefix><consumer>}. */
    static TopicNaming prefixed(String prefix) {
        return new Prefixed(prefix);
    }

    /** Throws an {@link IllegalArgumentException} naming the problem if {@code name} is no legal Kafka topic name. */
    static String requireLegal(String name) {
        Objects.requireNonNull(name, "topic name");
        if (name.isEmpty() || name.length() > 249 || name.equals(".") || name.equals("..")
                || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("'" + name + "' is not a Kafka topic name: 1-249 letters, digits, "
                    + "'.', '_' or '-' (not '.' or '..')");
        }
        return name;
    }

    /** The default naming. */
    record Prefixed(String prefix) implements TopicNaming {
        public Prefixed {
            Objects.requireNonNull(prefix, "prefix");
            if (!prefix.matches("[A-Za-z0-9._-]{0,120}")) {
                throw new IllegalArgumentException("topic prefix '" + prefix
                        + "' must be at most 120 letters, digits, '.', '_' or '-'");
            }
        }

        @Override
        public String topic(String category) {
            return requireLegal(prefix + category);
        }

        @Override
        public String deadLetterTopic(String consumer) {
            return requireLegal(prefix + consumer + "-dlt");
        }

        @Override
        public String consumerGroup(String consumer) {
            return prefix + consumer;
        }

        @Override
        public Pattern categoryTopics() {
            return Pattern.compile(Pattern.quote(prefix) + "[A-Za-z][A-Za-z0-9_.]*");
        }
    }
}
