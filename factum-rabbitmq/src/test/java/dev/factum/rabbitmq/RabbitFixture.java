// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * One test's broker side: a transport with a fresh prefix, an in-memory dead-letter store, a raw connection for
 * publishing and inspecting, and clean-up of every queue and exchange of the prefix afterwards.
 */
final class RabbitFixture implements AutoCloseable {
    final String prefix = Broker.uniquePrefix();
    final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    final RabbitMqTransport transport;
    final RabbitMqTopology topology;
    final Connection raw;
    private final Set<String> queues = ConcurrentHashMap.newKeySet();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    RabbitFixture() {
        this(Broker.config(Broker.uniquePrefix()));
    }

    RabbitFixture(RabbitMqConfig config) {
        raw = Broker.connect();
        RabbitMqConfig prefixed = config.withPrefix(prefix);
        transport = RabbitMqTransport.start(prefixed, deadLetters);
        topology = transport.topology();
        queues.add(topology.unroutedQueue());
    }

    /** A second transport on the same prefix with another configuration (through a proxy, say). */
    RabbitMqTransport transport(RabbitMqConfig config) {
        RabbitMqTransport other = RabbitMqTransport.start(config.withPrefix(prefix), deadLetters);
        closeables.add(other);
        return other;
    }

    MessageConsumer consume(ConsumerOptions options, MessageHandler handler) {
        queues.addAll(topology.consumerQueues(options));
        return transport.consume(options, handler);
    }

    void declare(ConsumerOptions options) {
        queues.addAll(topology.consumerQueues(options));
        transport.declareConsumer(options);
    }

    /** A queue of the test's own, bound to {@code exchange} with {@code key}, to watch what passes. */
    String spy(String exchange, String key) throws IOException, TimeoutException {
        String queue = prefix + ":spy-" + UUID.randomUUID().toString().substring(0, 6);
        queues.add(queue);
        try (Channel channel = raw.createChannel()) {
            channel.queueDeclare(queue, true, false, false, Map.of());
            channel.queueBind(queue, exchange, key);
        }
        return queue;
    }

    /** Takes every message now in {@code queue} (acknowledging them). */
    List<GetResponse> drain(String queue) throws IOException, TimeoutException {
        List<GetResponse> taken = new ArrayList<>();
        try (Channel channel = raw.createChannel()) {
            GetResponse response;
            while ((response = channel.basicGet(queue, true)) != null) taken.add(response);
        }
        return taken;
    }

    long depth(String queue) throws IOException, TimeoutException {
        try (Channel channel = raw.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /** Publishes bytes as they are, to the events exchange, as a foreign producer would. */
    void publishRaw(String routingKey, AMQP.BasicProperties properties, byte[] body) throws IOException, TimeoutException {
        try (Channel channel = raw.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(topology.eventsExchange(), routingKey, properties, body);
            try {
                channel.waitForConfirmsOrDie(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    void publishRaw(String routingKey, Map<String, Object> headers, String body) throws IOException, TimeoutException {
        publishRaw(routingKey, new AMQP.BasicProperties.Builder().headers(headers).build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : closeables) closeable.close();
        transport.close();
        if (raw.isOpen()) raw.close();
        Broker.delete(queues, topology.exchanges());
    }

    /** A message of stream {@code stream} ({@code Order-1}) with a type and a JSON body. */
    static Message message(String stream, String type, long position, String body) {
        return new Message(UUID.randomUUID(), type, stream, position, "corr-" + position, "cause-" + position,
                Optional.empty(), Optional.empty(), Message.JSON, body, Map.of(), Instant.parse("2026-11-26T10:15:30.123456789Z"));
    }
}
