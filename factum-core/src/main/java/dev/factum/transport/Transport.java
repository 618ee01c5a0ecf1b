// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

/**
 * A way for integration messages to travel between processes: publish with confirmation (what the
 * {@link dev.factum.relay.Relay} uses) and consume with a {@link MessageHandler}, retries by the consumer's
 * {@link dev.factum.retry.RetryPolicy} and dead letters when they run out. Implementations: {@link InProcessTransport}
 * (the embedded default), {@code RabbitMqTransport} ({@code factum-rabbitmq}) and {@code KafkaTransport}
 * ({@code factum-kafka}).
 *
 * @since 0.1
 */
public interface Transport extends MessagePublisher {

    /**
     * Starts consuming what {@code options} binds to with {@code handler}; the consumer runs until
     * {@link MessageConsumer#close()}. One consumer name is one durable subscription (a RabbitMQ queue, a Kafka
     * consumer group, a checkpoint): several processes consuming under one name share its messages.
     */
    MessageConsumer consume(ConsumerOptions options, MessageHandler handler);

    /** A short name for logs and status: {@code in-process}, {@code rabbitmq}, {@code kafka}. */
    String name();
}
