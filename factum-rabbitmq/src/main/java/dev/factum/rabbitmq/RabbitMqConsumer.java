// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.factum.rabbitmq.internal.AmqpMessages;
import dev.factum.rabbitmq.internal.ConfirmedPublisher;
import dev.factum.rabbitmq.internal.ConfirmedPublisher.Outgoing;
import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.Failures;
import dev.factum.retry.RetryPolicy;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.ConsumerStatus;
import dev.factum.transport.InvalidMessageException;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One consumer of a {@link RabbitMqTransport}: a channel with {@code basicQos(prefetch)} consuming the consumer's
 * queue with manual acknowledgement, handling one message at a time. What becomes of a delivery:
 * <ol>
 *   <li>unreadable ({@link MessageHeaders#decode} fails) → a copy with the reason goes to the dead-letter queue, it
 *       is parked in the {@link DeadLetterStore} with its raw headers and body, then acknowledged;</li>
 *   <li>handler returns → acknowledged;</li>
 *   <li>handler throws and the policy has a next delay → a copy with the attempt history is published, confirmed,
 *       to the delay queue of that delay, then the original is acknowledged;</li>
 *   <li>handler throws a {@link dev.factum.transport.RejectedMessageException}, or the attempts ran out → a copy
 *       with error and history goes to the dead-letter queue, confirmed, it is parked in the store, then the
 *       original is acknowledged.</li>
 * </ol>
 * A copy is always confirmed before the original is acknowledged: a crash in between gives a duplicate, never a
 * loss. If the copy cannot be published, the original goes back to the queue (nack with requeue).
 */
final class RabbitMqConsumer implements MessageConsumer {
    private static final Logger log = LoggerFactory.getLogger(RabbitMqConsumer.class);
    private static final int MAX_STACK_HEADER_CHARS = 4_000;

    private final ConsumerOptions options;
    private final MessageHandler handler;
    private final Channel channel;
    private final RabbitMqTopology topology;
    private final ConfirmedPublisher publisher;
    private final DeadLetterStore deadLetters;
    private final Clock clock;
    private final Runnable onClose;
    private final ReentrantLock handling = new ReentrantLock();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean closed;
    private volatile boolean cancelled;
    private volatile String consumerTag;

    RabbitMqConsumer(ConsumerOptions options, MessageHandler handler, Channel channel, RabbitMqTopology topology,
                     ConfirmedPublisher publisher, DeadLetterStore deadLetters, Clock clock, Runnable onClose) {
        this.options = options;
        this.handler = handler;
        this.channel = channel;
        this.topology = topology;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.onClose = onClose;
    }

    void start() throws IOException {
        channel.basicQos(options.prefetch());
        consumerTag = channel.basicConsume(topology.queue(options.name()), false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                deliver(envelope, properties, body);
            }

            @Override
            public void handleCancel(String tag) {
                cancelled = true;
                lastError.set("the broker cancelled consumer '" + options.name() + "' (its queue "
                        + topology.queue(options.name()) + " was deleted?)");
                log.warn("{}", lastError.get());
            }
        });
    }

    private void deliver(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        long tag = envelope.getDeliveryTag();
        handling.lock();
        try {
            if (closed) return; // not acknowledged: back to the queue when the channel closes
            Message message;
            List<Attempt> history;
            try {
                history = RabbitMqHeaders.attempts(properties.getHeaders());
                message = MessageHeaders.decode(AmqpMessages.stringHeaders(properties), AmqpMessages.utf8(body));
            } catch (InvalidMessageException e) {
                unreadable(envelope, properties, body, e);
                ack(tag);
                return;
            }
            Throwable failure;
            try {
                handler.handle(message);
                handled.incrementAndGet();
                ack(tag);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                requeue(tag);
                return;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                failure = e;
            }
            failed(tag, properties, body, message, history, failure);
        } catch (RuntimeException e) {
            // the retry or dead-letter copy was not confirmed, or the dead-letter store failed: nothing moved on
            lastError.set(Failures.reason(e));
            log.warn("consumer {}: could not pass message {} on ({}); it goes back to the queue", options.name(),
                    properties.getMessageId(), Failures.reason(e));
            requeue(tag);
        } finally {
            handling.unlock();
        }
    }

    private void failed(long tag, AMQP.BasicProperties properties, byte[] body, Message message,
                        List<Attempt> history, Throwable failure) {
        Instant now = clock.instant();
        String reason = Failures.reason(failure);
        lastError.set(reason);
        List<Attempt> attempts = new ArrayList<>(history);
        attempts.add(new Attempt(history.size() + 1, now, reason));
        Optional<Duration> delay = RetryPolicy.retryable(failure)
                ? options.retry().delayAfter(attempts.size()) : Optional.empty();
        Map<String, Object> headers = copyHeaders(properties);
        RabbitMqHeaders.putAttempts(headers, attempts);
        headers.put(RabbitMqHeaders.ERROR, RabbitMqHeaders.cut(reason));
        headers.put(RabbitMqHeaders.CONSUMER, options.name());
        if (delay.isPresent()) {
            String delayQueue = topology.delayQueue(options.name(), delay.get());
            headers.put(RabbitMqHeaders.RETRY_DELAY_MS, delay.get().toMillis());
            headers.put(RabbitMqHeaders.RETRY_QUEUE, delayQueue);
            publisher.publish(List.of(new Outgoing("", delayQueue, true, properties.builder().headers(headers).build(),
                    body, message.messageId())));
            retried.incrementAndGet();
            log.debug("consumer {}: attempt {} of message {} failed ({}); retry in {} through {}", options.name(),
                    attempts.size(), message.messageId(), reason, delay.get(), delayQueue);
        } else {
            DeadLetter letter = new DeadLetter(deadLetterId(message.messageId(), attempts), options.name(),
                    MessageHeaders.encode(message), message.body(), reason, Failures.stackSummary(failure), attempts,
                    now, DeadLetterState.PARKED, Optional.empty(), Optional.empty());
            parkCopy(properties, body, headers, letter, message.messageId());
            log.warn("consumer {}: message {} ({}) is a dead letter after {} attempt(s): {}", options.name(),
                    message.messageId(), message.type(), attempts.size(), reason);
        }
        ack(tag);
    }

    private void unreadable(Envelope envelope, AMQP.BasicProperties properties, byte[] body, InvalidMessageException e) {
        Instant now = clock.instant();
        String reason = Failures.reason(e);
        lastError.set(reason);
        List<Attempt> attempts = List.of(new Attempt(1, now, reason));
        DeadLetter letter = DeadLetter.park(options.name(), AmqpMessages.rawHeaders(envelope, properties),
                AmqpMessages.lenientText(body), e, attempts, now);
        Map<String, Object> headers = copyHeaders(properties);
        RabbitMqHeaders.putAttempts(headers, attempts);
        headers.put(RabbitMqHeaders.ERROR, RabbitMqHeaders.cut(reason));
        headers.put(RabbitMqHeaders.CONSUMER, options.name());
        parkCopy(properties, body, headers, letter, letter.id());
        log.warn("consumer {}: unreadable message (exchange '{}', routing key '{}') is a dead letter: {}",
                options.name(), envelope.getExchange(), envelope.getRoutingKey(), reason);
    }

    /** The copy on the dead-letter queue first (confirmed), then the letter in the store; the caller acks. */
    private void parkCopy(AMQP.BasicProperties properties, byte[] body, Map<String, Object> headers, DeadLetter letter,
                          UUID id) {
        String stack = letter.stackSummary();
        headers.put(RabbitMqHeaders.STACK, stack.length() <= MAX_STACK_HEADER_CHARS ? stack
                : stack.substring(0, MAX_STACK_HEADER_CHARS));
        headers.put(RabbitMqHeaders.DEAD_LETTER_ID, letter.id().toString());
        headers.put(RabbitMqHeaders.DEAD_AT, letter.deadAt().toString());
        publisher.publish(List.of(new Outgoing(topology.deadLetterExchange(), options.name(), true,
                properties.builder().headers(headers).build(), body, id)));
        deadLetters.add(letter);
        deadLettered.incrementAndGet();
    }

    /**
     * The same id on a redelivery of the same final copy (so a crash between "parked" and "acknowledged" does not
     * park it twice), a new one when the message is sent again later and fails again (its first attempt differs).
     */
    private UUID deadLetterId(UUID messageId, List<Attempt> attempts) {
        String key = "rabbitmq/" + options.name() + "/" + messageId + "/" + attempts.get(0).at();
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> copyHeaders(AMQP.BasicProperties properties) {
        Map<String, Object> headers = new HashMap<>();
        if (properties.getHeaders() != null) headers.putAll(properties.getHeaders());
        headers.keySet().removeIf(name -> name.startsWith(RabbitMqHeaders.ATTEMPT_PREFIX));
        return headers;
    }

    private void ack(long tag) {
        try {
            channel.basicAck(tag, false);
        } catch (IOException | ShutdownSignalException e) {
            // the channel went down: the broker delivers the message again (a duplicate, never a loss)
            log.debug("consumer {}: ack of delivery {} failed: {}", options.name(), tag, e.getMessage());
        }
    }

    private void requeue(long tag) {
        try {
            channel.basicNack(tag, false, true);
        } catch (IOException | ShutdownSignalException e) {
            log.debug("consumer {}: requeue of delivery {} failed: {}", options.name(), tag, e.getMessage());
        }
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public ConsumerStatus status() {
        return new ConsumerStatus(options.name(), !closed && !cancelled && channel.isOpen(), handled.get(),
                retried.get(), deadLettered.get(), Optional.ofNullable(lastError.get()));
    }

    @Override
    public void replay(Message message) throws Exception {
        handler.handle(message);
        handled.incrementAndGet();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            String tag = consumerTag;
            if (tag != null && channel.isOpen()) channel.basicCancel(tag);
        } catch (IOException | ShutdownSignalException e) {
            log.debug("consumer {}: cancel failed: {}", options.name(), e.getMessage());
        }
        boolean idle = false;
        try {
            idle = handling.tryLock(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (channel.isOpen()) channel.abort();
        } catch (IOException | RuntimeException e) {
            log.debug("consumer {}: closing its channel failed: {}", options.name(), e.getMessage());
        } finally {
            if (idle) handling.unlock();
            onClose.run();
        }
    }
}
