// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import dev.factum.transport.Binding;
import dev.factum.transport.ConsumerOptions;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The exchanges and queues of one prefix, their names, and their idempotent declaration. Everything is durable;
 * declaring what exists with the same arguments changes nothing, so every process declares on start.
 *
 * <pre>
 *  relay ──publish──▶ [prefix.events] topic ──binding Account.*──▶ (prefix.billing) ──▶ consumer "billing"
 *                          │ alternate-exchange                      ▲   │ x-dead-letter-exchange (broker-side rejects)
 *                          ▼                                         │   ▼
 *                   [prefix.unrouted] fanout ──▶ (prefix:unrouted)    │  [prefix.dead-letters] direct
 *                                                                    │   │ key billing
 *   handler failed ──copy──▶ (prefix.billing:retry-100ms) x-message-ttl │   ▼
 *     (default exchange)       │ expires: x-dead-letter-exchange      │  (prefix.billing:dead-letters)
 *                              ▼                                     │
 *                       [prefix.retry] direct ──key billing──────────┘
 *
 *  [prefix.commands] direct: commands to a service's queue by routing key (used by sagas)
 * </pre>
 *
 * <p>Names: exchanges are {@code <prefix>.events|commands|retry|dead-letters|unrouted}; a consumer's queue is
 * {@code <prefix>.<consumer>}, its delay queues {@code <prefix>.<consumer>:retry-<millis>ms} and its dead-letter
 * queue {@code <prefix>.<consumer>:dead-letters}. Consumer names and prefixes cannot contain {@code :}, so a delay or
 * dead-letter queue never has the name of a consumer's queue.
 *
 * <p><b>Arguments are fixed by name.</b> RabbitMQ refuses to declare an existing queue with other arguments
 * ({@code PRECONDITION_FAILED}); the arguments here depend only on the name (a delay queue's TTL is in its name), so a
 * changed retry policy declares new delay queues and leaves the old ones idle rather than failing. Delete idle ones
 * with {@code rabbitmqctl delete_queue}.
 *
 * @since 0.1
 */
public final class RabbitMqTopology {
    /** Queue argument: the dead-letter exchange. */
    public static final String DEAD_LETTER_EXCHANGE_ARG = "x-dead-letter-exchange";
    /** Queue argument: the routing key of dead-lettered messages. */
    public static final String DEAD_LETTER_ROUTING_KEY_ARG = "x-dead-letter-routing-key";
    /** Queue argument: how long a message stays in the queue, in milliseconds. */
    public static final String MESSAGE_TTL_ARG = "x-message-ttl";

    private final String prefix;
    private final int unroutedMaxLength;

    public RabbitMqTopology(String prefix, int unroutedMaxLength) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.unroutedMaxLength = unroutedMaxLength;
    }

    /** The topology of {@code config}'s prefix. */
    public static RabbitMqTopology of(RabbitMqConfig config) {
        return new RabbitMqTopology(config.prefix(), config.unroutedMaxLength());
    }

    public String prefix() {
        return prefix;
    }

    /** The topic exchange every event is published to, routing key {@code Category.EventType}. */
    public String eventsExchange() {
        return prefix + ".events";
    }

    /** The direct exchange for commands: routing key = the receiving service's command queue. */
    public String commandsExchange() {
        return prefix + ".commands";
    }

    /** The direct exchange delay queues dead-letter into: routing key = consumer name, back to its queue only. */
    public String retryExchange() {
        return prefix + ".retry";
    }

    /** The direct exchange of dead letters: routing key = consumer name, to its dead-letter queue. */
    public String deadLetterExchange() {
        return prefix + ".dead-letters";
    }

    /** The fanout exchange that takes events no consumer is bound to (the events exchange's alternate exchange). */
    public String unroutedExchange() {
        return prefix + ".unrouted";
    }

    /** The queue of unroutable events, the newest {@code unroutedMaxLength} kept. */
    public String unroutedQueue() {
        return prefix + ":unrouted";
    }

    /** The durable queue of consumer {@code consumer}. */
    public String queue(String consumer) {
        return prefix + "." + consumer;
    }

    /** The delay queue of {@code consumer} for retries after {@code delay}. */
    public String delayQueue(String consumer, Duration delay) {
        return queue(consumer) + ":retry-" + delay.toMillis() + "ms";
    }

    /** The queue of {@code consumer}'s dead letters. */
    public String deadLetterQueue(String consumer) {
        return queue(consumer) + ":dead-letters";
    }

    /** Declares the exchanges and the unrouted queue. Idempotent. */
    public void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(unroutedExchange(), BuiltinExchangeType.FANOUT, true, false, Map.of());
        channel.queueDeclare(unroutedQueue(), true, false, false, Map.of("x-max-length", unroutedMaxLength));
        channel.queueBind(unroutedQueue(), unroutedExchange(), "");
        channel.exchangeDeclare(eventsExchange(), BuiltinExchangeType.TOPIC, true, false,
                Map.of("alternate-exchange", unroutedExchange()));
        channel.exchangeDeclare(commandsExchange(), BuiltinExchangeType.DIRECT, true, false, Map.of());
        channel.exchangeDeclare(retryExchange(), BuiltinExchangeType.DIRECT, true, false, Map.of());
        channel.exchangeDeclare(deadLetterExchange(), BuiltinExchangeType.DIRECT, true, false, Map.of());
    }

    /**
     * Declares a consumer's queue bound by each of its bindings and to the retry exchange, one delay queue per
     * distinct delay of its retry policy, and its dead-letter queue. Idempotent; bindings are only added (remove an
     * old binding with {@code rabbitmqctl} or the management UI).
     */
    public void declareConsumer(Channel channel, ConsumerOptions options) throws IOException {
        String consumer = options.name();
        String queue = queue(consumer);
        channel.queueDeclare(deadLetterQueue(consumer), true, false, false, Map.of());
        channel.queueBind(deadLetterQueue(consumer), deadLetterExchange(), consumer);
        channel.queueDeclare(queue, true, false, false, queueArguments(consumer));
        for (Binding binding : options.bindings()) channel.queueBind(queue, eventsExchange(), binding.pattern());
        channel.queueBind(queue, retryExchange(), consumer);
        for (Duration delay : options.retry().delays()) {
            channel.queueDeclare(delayQueue(consumer, delay), true, false, false, delayQueueArguments(consumer, delay));
        }
    }

    /** The arguments of a consumer's queue: anything the broker rejects or expires goes to its dead letters. */
    public Map<String, Object> queueArguments(String consumer) {
        return Map.of(DEAD_LETTER_EXCHANGE_ARG, deadLetterExchange(), DEAD_LETTER_ROUTING_KEY_ARG, consumer);
    }

    /** The arguments of a delay queue: every message waits {@code delay}, then goes back to the consumer's queue. */
    public Map<String, Object> delayQueueArguments(String consumer, Duration delay) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put(MESSAGE_TTL_ARG, delay.toMillis());
        arguments.put(DEAD_LETTER_EXCHANGE_ARG, retryExchange());
        arguments.put(DEAD_LETTER_ROUTING_KEY_ARG, consumer);
        return arguments;
    }

    /** Every queue name {@link #declareConsumer} declares for {@code options}. */
    public List<String> consumerQueues(ConsumerOptions options) {
        List<String> names = new java.util.ArrayList<>();
        names.add(queue(options.name()));
        names.add(deadLetterQueue(options.name()));
        for (Duration delay : options.retry().delays()) names.add(delayQueue(options.name(), delay));
        return names;
    }

    /** Every exchange name {@link #declare} declares. */
    public List<String> exchanges() {
        return List.of(eventsExchange(), commandsExchange(), retryExchange(), deadLetterExchange(), unroutedExchange());
    }
}
