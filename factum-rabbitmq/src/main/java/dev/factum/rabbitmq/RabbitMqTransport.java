// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import dev.factum.FactumException;
import dev.factum.rabbitmq.internal.AmqpMessages;
import dev.factum.rabbitmq.internal.ConfirmedPublisher;
import dev.factum.rabbitmq.internal.ConfirmedPublisher.Outgoing;
import dev.factum.retry.DeadLetterStore;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.PublishException;
import dev.factum.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Transport} over RabbitMQ. Events go to a durable topic exchange with routing key
 * {@code Category.EventType}; each consumer has a durable queue bound by its {@link dev.factum.transport.Binding}s;
 * failed messages are retried through per-delay delay queues and end in a dead-letter queue and the
 * {@link DeadLetterStore}. The names and the diagram are in {@link RabbitMqTopology}; the headers in
 * {@link RabbitMqHeaders}.
 *
 * <ul>
 *   <li><b>Publish.</b> {@link #publish} sends the batch persistent (delivery mode 2) on a channel in confirm mode
 *       and returns after one wait for the broker's confirms of the whole batch. Any failure — broker unreachable,
 *       connection lost, a nack, no confirm within {@link RabbitMqConfig#confirmTimeout()} — is a retryable
 *       {@link PublishException}: the caller (the {@link dev.factum.relay.Relay}) sends the batch again. A body larger
 *       than {@link RabbitMqConfig#maxMessageBytes()} is refused for good before anything is sent. Events are
 *       published without the mandatory flag: an event no consumer is bound to is a fact nobody listens to yet,
 *       not an error; the events exchange's alternate exchange keeps the newest of them in
 *       {@code <prefix>:unrouted} for inspection, and the event stays in the store.</li>
 *   <li><b>Consume.</b> Manual acknowledgement, {@code basicQos(prefetch)} for backpressure, one message at a time
 *       per consumer. See {@code RabbitMqConsumer} for what happens to each delivery.</li>
 *   <li><b>Connections.</b> Consumers share one connection with automatic recovery and topology recovery: after a
 *       broker restart they resume by themselves. Publishing has its own connection, opened again on the next
 *       publish after a failure (never recovered behind a waiting publish, where a recovered channel could report
 *       unconfirmed messages as confirmed).</li>
 * </ul>
 *
 * <p>Thread-safe: {@link #publish} may be called from many threads (each batch borrows its own channel).
 *
 * @since 0.1
 */
public final class RabbitMqTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(RabbitMqTransport.class);

    private final RabbitMqConfig config;
    private final RabbitMqTopology topology;
    private final DeadLetterStore deadLetters;
    private final Clock clock;
    private final Connection consumerConnection;
    private final ConfirmedPublisher publisher;
    private final ReentrantLock admin = new ReentrantLock();
    private final Set<RabbitMqConsumer> consumers = ConcurrentHashMap.newKeySet();
    private Channel adminChannel;
    private volatile boolean closed;

    private RabbitMqTransport(RabbitMqConfig config, DeadLetterStore deadLetters, Clock clock,
                              Connection consumerConnection, ConfirmedPublisher publisher) {
        this.config = config;
        this.topology = RabbitMqTopology.of(config);
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.consumerConnection = consumerConnection;
        this.publisher = publisher;
    }

    /** {@link #start(RabbitMqConfig, DeadLetterStore, Clock)} with the system clock. */
    public static RabbitMqTransport start(RabbitMqConfig config, DeadLetterStore deadLetters) {
        return start(config, deadLetters, Clock.systemUTC());
    }

    /**
     * Connects to the broker and declares the topology of {@code config}'s prefix (idempotent).
     *
     * @param deadLetters where consumers park their dead letters (also sent to each consumer's dead-letter queue)
     * @param clock       the time of attempts and dead letters
     * @throws FactumException if the broker cannot be reached or refuses the topology
     */
    public static RabbitMqTransport start(RabbitMqConfig config, DeadLetterStore deadLetters, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(deadLetters, "deadLetters");
        Objects.requireNonNull(clock, "clock");
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(config.uri());
        } catch (Exception e) {
            throw new IllegalArgumentException("RabbitMQ uri of " + config + " is not usable: " + e.getMessage(), e);
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(config.recoveryInterval().toMillis());
        factory.setConnectionTimeout(10_000);
        ConnectionFactory publishing = factory.clone();
        publishing.setAutomaticRecoveryEnabled(false);
        publishing.setTopologyRecoveryEnabled(false);
        // a channel call (open, close after a confirm timeout) never waits longer than a confirm may
        publishing.setChannelRpcTimeout((int) Math.min(Integer.MAX_VALUE, config.confirmTimeout().toMillis()));
        String name = "factum-" + config.prefix();
        Connection connection;
        try {
            connection = factory.newConnection(name + "-consume");
        } catch (IOException | TimeoutException e) {
            throw new FactumException("cannot connect to RabbitMQ at " + config.address() + ": " + describe(e), e);
        }
        ConfirmedPublisher publisher = new ConfirmedPublisher(publishing, name + "-publish", config.address(),
                config.confirmTimeout());
        RabbitMqTransport transport = new RabbitMqTransport(config, deadLetters, clock, connection, publisher);
        try {
            transport.declare(channel -> transport.topology.declare(channel));
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    log.info("consumer connection to RabbitMQ at {} recovered", config.address());
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    log.warn("consumer connection to RabbitMQ at {} lost; recovering every {}", config.address(),
                            config.recoveryInterval());
                }
            });
        }
        return transport;
    }

    @Override
    public String name() {
        return "rabbitmq";
    }

    public RabbitMqConfig config() {
        return config;
    }

    /** The names of this transport's exchanges and queues. */
    public RabbitMqTopology topology() {
        return topology;
    }

    /**
     * Declares a consumer's queues and bindings without consuming, so that events published from now on wait for
     * it (declare before the relay starts if a new consumer must see every event). {@link #consume} declares too.
     */
    public void declareConsumer(ConsumerOptions options) {
        Objects.requireNonNull(options, "options");
        declare(channel -> topology.declareConsumer(channel, options));
    }

    /**
     * Sends {@code messages} to the events exchange and returns when the broker confirmed all of them.
     *
     * @throws PublishException retryable for a lost or unreachable broker, a nack or a confirm timeout; refused
     *                          (naming the message) for a body above {@link RabbitMqConfig#maxMessageBytes()}
     * @throws IllegalStateException if this transport is closed
     */
    @Override
    public void publish(List<Message> messages) {
        Objects.requireNonNull(messages, "messages");
        if (closed) throw new IllegalStateException("the RabbitMQ transport is closed");
        List<Outgoing> batch = new ArrayList<>(messages.size());
        for (Message message : messages) {
            byte[] body = AmqpMessages.body(message);
            if (body.length > config.maxMessageBytes()) {
                throw PublishException.refused("message " + message.messageId() + " (" + message.type() + ") has "
                        + body.length + " bytes, more than the " + config.maxMessageBytes()
                        + " RabbitMQ is configured to accept (maxMessageBytes)", message.messageId(), null);
            }
            batch.add(new Outgoing(topology.eventsExchange(), message.routingKey(), false,
                    AmqpMessages.properties(message), body, message.messageId()));
        }
        publisher.publish(batch);
    }

    @Override
    public MessageConsumer consume(ConsumerOptions options, MessageHandler handler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        if (closed) throw new IllegalStateException("the RabbitMQ transport is closed");
        declareConsumer(options);
        Channel channel;
        try {
            channel = consumerConnection.createChannel();
        } catch (IOException | ShutdownSignalException e) {
            throw new FactumException("cannot open a channel for consumer '" + options.name() + "' on RabbitMQ at "
                    + config.address() + ": " + describe(e), e);
        }
        if (channel == null) throw new FactumException("RabbitMQ connection has no channel left for consumer '" + options.name() + "'");
        RabbitMqConsumer[] self = new RabbitMqConsumer[1];
        RabbitMqConsumer consumer = new RabbitMqConsumer(options, handler, channel, topology, publisher, deadLetters,
                clock, () -> consumers.remove(self[0]));
        self[0] = consumer;
        try {
            consumer.start();
        } catch (IOException | ShutdownSignalException e) {
            consumer.close();
            throw new FactumException("cannot start consumer '" + options.name() + "' on RabbitMQ at "
                    + config.address() + ": " + describe(e), e);
        }
        consumers.add(consumer);
        return consumer;
    }

    /** Stops every consumer (messages not acknowledged go back to their queues) and closes the connections. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List.copyOf(consumers).forEach(RabbitMqConsumer::close);
        publisher.close();
        try {
            if (consumerConnection.isOpen()) consumerConnection.close(5_000);
        } catch (IOException | ShutdownSignalException e) {
            log.debug("closing the consumer connection failed: {}", e.getMessage());
            consumerConnection.abort(1_000);
        }
    }

    /** The most telling message of an amqp-client failure: the innermost cause that has one (the broker's reply). */
    static String describe(Throwable error) {
        return AmqpMessages.describe(error);
    }

    @FunctionalInterface
    private interface Declaration {
        void run(Channel channel) throws IOException;
    }

    /** Runs a declaration on the long-lived admin channel (so topology recovery can declare it again). */
    private void declare(Declaration declaration) {
        admin.lock();
        try {
            if (adminChannel == null || !adminChannel.isOpen()) adminChannel = consumerConnection.createChannel();
            if (adminChannel == null) throw new IOException("no channel left on the connection");
            declaration.run(adminChannel);
        } catch (IOException | ShutdownSignalException e) {
            throw new FactumException("RabbitMQ at " + config.address() + " refused the topology of prefix '"
                    + config.prefix() + "': " + describe(e)
                    + " (a queue or exchange of that name exists with other arguments? see RabbitMqTopology)", e);
        } finally {
            admin.unlock();
        }
    }
}
