// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import dev.factum.retry.RetryPolicy;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a consumer consumes: its durable name (a RabbitMQ queue, a Kafka consumer group, a checkpoint name), what it is
 * bound to, its retry policy, and how many messages it may have in flight (RabbitMQ prefetch, Kafka
 * {@code max.poll.records}): the bound on unacknowledged work that gives backpressure.
 *
 * @param name     the consumer's durable name: letters, digits, {@code . _ -}, at most 100 characters
 * @param bindings what it receives (at least one)
 * @param retry    retries before a message becomes a dead letter
 * @param prefetch the most messages in flight at once (1–10,000)
 * @param concurrency how many streams' messages the in-process transport's consumer handles at once (1–256, default
 *                    1): it reads a batch of up to {@code prefetch} messages, handles each stream's messages in order
 *                    and different streams side by side, and saves its checkpoint once the whole batch is handled
 *                    (after a crash the batch is delivered again: at least once, as always). The broker transports
 *                    handle one message at a time whatever this says.
 * @since 0.1
 */
public record ConsumerOptions(String name, List<Binding> bindings, RetryPolicy retry, int prefetch, int concurrency) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public ConsumerOptions {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("consumer name '" + name
                    + "' must be 1-100 letters, digits, '.', '_' or '-'");
        }
        bindings = List.copyOf(Objects.requireNonNull(bindings, "bindings"));
        if (bindings.isEmpty()) throw new IllegalArgumentException("consumer '" + name + "' has no binding");
        Objects.requireNonNull(retry, "retry");
        if (prefetch < 1 || prefetch > 10_000) {
            throw new IllegalArgumentException("prefetch must be 1-10000, was " + prefetch);
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("concurrency must be 1-256, was " + concurrency);
        }
    }

    /** Options handling one message at a time ({@code concurrency} 1). */
    public ConsumerOptions(String name, List<Binding> bindings, RetryPolicy retry, int prefetch) {
        this(name, bindings, retry, prefetch, 1);
    }

    /** A consumer bound to {@code patterns} ({@code "Account.*"}), with the default retry policy and prefetch 100. */
    public static ConsumerOptions of(String name, String... patterns) {
        return new ConsumerOptions(name, java.util.Arrays.stream(patterns).map(Binding::of).toList(),
                RetryPolicy.DEFAULT, 100);
    }

    public ConsumerOptions withRetry(RetryPolicy policy) {
        return new ConsumerOptions(name, bindings, policy, prefetch, concurrency);
    }

    public ConsumerOptions withPrefetch(int count) {
        return new ConsumerOptions(name, bindings, retry, count, concurrency);
    }

    /** See {@link #concurrency()}: streams handled side by side by the in-process transport (1–256). */
    public ConsumerOptions withConcurrency(int streams) {
        return new ConsumerOptions(name, bindings, retry, prefetch, streams);
    }

    /** Whether a message with {@code routingKey} matches one of the bindings. */
    public boolean accepts(String routingKey) {
        for (Binding binding : bindings) {
            if (binding.matches(routingKey)) return true;
        }
        return false;
    }
}
