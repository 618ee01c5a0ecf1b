// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.factum.transport.PublishException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes batches on channels in confirm mode and returns only when the broker confirmed the whole batch (one
 * {@code waitForConfirmsOrDie} per batch). Channels are not thread-safe, so each publishing thread borrows its own
 * channel from a pool for the length of a batch.
 *
 * <p>Its connection does <em>not</em> recover by itself, on purpose: a channel that recovers while a thread waits for
 * its confirms starts with an empty set of unconfirmed messages, and the wait would report a batch confirmed that
 * the broker never had. Instead every failure closes what failed and surfaces as a retryable
 * {@link PublishException}; the next publish opens a new connection. Not an API.
 */
public final class ConfirmedPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfirmedPublisher.class);

    /** One AMQP publish. {@code messageId} identifies it in a return or a refusal. */
    public record Outgoing(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties properties,
                           byte[] body, UUID messageId) {
    }

    private record PooledChannel(Channel channel, Map<String, String> returned) {
    }

    private final ConnectionFactory factory;
    private final String connectionName;
    private final String address;
    private final Duration confirmTimeout;
    private final ReentrantLock connecting = new ReentrantLock();
    private final ConcurrentLinkedDeque<PooledChannel> idle = new ConcurrentLinkedDeque<>();
    private volatile Connection connection;
    private volatile boolean closed;

    /** @param factory a factory with automatic recovery disabled */
    public ConfirmedPublisher(ConnectionFactory factory, String connectionName, String address, Duration confirmTimeout) {
        this.factory = Objects.requireNonNull(factory, "factory");
        if (factory.isAutomaticRecoveryEnabled()) throw new IllegalArgumentException("the publisher's connection must not recover by itself");
        this.connectionName = Objects.requireNonNull(connectionName, "connectionName");
        this.address = Objects.requireNonNull(address, "address");
        this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout");
    }

    /**
     * Publishes {@code batch} and waits for the broker's confirms of all of it.
     *
     * @throws PublishException retryable if the broker is unreachable, the connection is lost, the broker nacks or
     *                          does not confirm within the timeout; refused (naming the message) if a mandatory
     *                          message was returned as unroutable
     */
    public void publish(List<Outgoing> batch) {
        if (closed) throw new IllegalStateException("the RabbitMQ transport is closed");
        if (batch.isEmpty()) return;
        PooledChannel pooled = borrow();
        boolean healthy = false;
        try {
            pooled.returned().clear();
            for (Outgoing message : batch) {
                pooled.channel().basicPublish(message.exchange(), message.routingKey(), message.mandatory(),
                        message.properties(), message.body());
            }
            pooled.channel().waitForConfirmsOrDie(confirmTimeout.toMillis());
            healthy = true;
            for (Outgoing message : batch) {
                String returned = message.mandatory() ? pooled.returned().get(message.messageId().toString()) : null;
                if (returned != null) {
                    throw PublishException.refused("RabbitMQ returned message " + message.messageId() + " as unroutable: "
                            + returned + " (exchange '" + message.exchange() + "', routing key '"
                            + message.routingKey() + "')", message.messageId(), null);
                }
            }
        } catch (TimeoutException e) {
            // a broker that does not confirm in time may not answer at all: start over on a new connection
            resetConnection();
            throw PublishException.retryable("RabbitMQ at " + address + " did not confirm " + batch.size()
                    + " message(s) within " + confirmTimeout + "; treat them as not sent", e);
        } catch (ShutdownSignalException e) {
            resetConnection();
            throw PublishException.retryable("connection to RabbitMQ at " + address + " lost while publishing "
                    + batch.size() + " message(s): " + e.getMessage(), e);
        } catch (IOException e) {
            String what = e.getMessage() != null && e.getMessage().contains("nack")
                    ? "RabbitMQ at " + address + " refused (nacked) a message of the batch"
                    : "publishing to RabbitMQ at " + address + " failed: " + e.getMessage();
            throw PublishException.retryable(what + "; treat the " + batch.size() + " message(s) as not sent", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PublishException.retryable("interrupted while waiting for RabbitMQ's confirms; treat the "
                    + batch.size() + " message(s) as not sent", e);
        } finally {
            if (healthy && !closed) {
                idle.push(pooled);
            } else {
                closeQuietly(pooled.channel());
            }
        }
    }

    private PooledChannel borrow() {
        PooledChannel pooled;
        while ((pooled = idle.poll()) != null) {
            if (pooled.channel().isOpen()) return pooled;
        }
        try {
            Channel channel = openConnection().createChannel();
            if (channel == null) throw new IOException("no channel left on the connection");
            channel.confirmSelect();
            Map<String, String> returned = new ConcurrentHashMap<>();
            channel.addReturnListener(r -> {
                String id = r.getProperties().getMessageId();
                if (id != null) returned.put(id, r.getReplyCode() + " " + r.getReplyText());
            });
            return new PooledChannel(channel, returned);
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            resetConnection();
            throw PublishException.retryable("cannot reach RabbitMQ at " + address + ": " + describe(e), e);
        }
    }

    private Connection openConnection() throws IOException, TimeoutException {
        connecting.lock();
        try {
            if (closed) throw new IllegalStateException("the RabbitMQ transport is closed");
            Connection current = connection;
            if (current != null && current.isOpen()) return current;
            idle.clear();
            if (current != null) log.info("publisher connection to RabbitMQ at {} was lost; connecting again", address);
            connection = factory.newConnection(connectionName);
            return connection;
        } finally {
            connecting.unlock();
        }
    }

    /** Drops the connection (aborting it if it still looks open): the next publish connects again. */
    private void resetConnection() {
        connecting.lock();
        try {
            Connection current = connection;
            connection = null;
            idle.clear();
            if (current != null && current.isOpen()) current.abort(1_000);
        } finally {
            connecting.unlock();
        }
    }

    private static String describe(Exception e) {
        return AmqpMessages.describe(e);
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) channel.abort();
        } catch (IOException | RuntimeException e) {
            log.debug("closing a publisher channel failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        connecting.lock();
        try {
            PooledChannel pooled;
            while ((pooled = idle.poll()) != null) closeQuietly(pooled.channel());
            Connection current = connection;
            connection = null;
            if (current != null && current.isOpen()) current.abort(2_000);
        } finally {
            connecting.unlock();
        }
    }
}
