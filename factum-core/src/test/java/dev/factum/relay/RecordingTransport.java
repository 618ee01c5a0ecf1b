// SPDX-License-Identifier: Apache-2.0
package dev.factum.relay;

import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.ConsumerStatus;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.PublishException;
import dev.factum.transport.Transport;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A broker for relay tests: records every confirmed batch, hands confirmed messages to its consumers synchronously,
 * and can be told to fail (retryable), to refuse one message for good, or to hold publishes until released.
 */
final class RecordingTransport implements Transport {
    private final List<List<Message>> confirmed = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger failuresToThrow = new AtomicInteger();
    private final Set<UUID> refused = ConcurrentHashMap.newKeySet();
    private final List<Registered> consumers = new CopyOnWriteArrayList<>();
    private volatile Consumer<List<Message>> onPublish = batch -> { };
    private volatile boolean down;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private record Registered(ConsumerOptions options, MessageHandler handler) {
    }

    @Override
    public void publish(List<Message> messages) {
        attempts.incrementAndGet();
        onPublish.accept(List.copyOf(messages));
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PublishException.retryable("interrupted while waiting for the confirm", e);
        }
        if (down) throw PublishException.retryable("broker unreachable", null);
        if (failuresToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw PublishException.retryable("confirm timed out", null);
        }
        for (Message message : messages) {
            if (refused.contains(message.messageId())) {
                throw PublishException.refused("message " + message.messageId() + " is larger than the broker accepts",
                        message.messageId(), null);
            }
        }
        confirmed.add(List.copyOf(messages));
        for (Message message : messages) {
            for (Registered consumer : consumers) {
                if (!consumer.options().accepts(message.routingKey())) continue;
                try {
                    consumer.handler().handle(message);
                } catch (Exception e) {
                    throw new IllegalStateException("test consumer failed", e);
                }
            }
        }
    }

    @Override
    public MessageConsumer consume(ConsumerOptions options, MessageHandler handler) {
        Registered registered = new Registered(options, handler);
        consumers.add(registered);
        return new MessageConsumer() {
            @Override
            public String name() {
                return options.name();
            }

            @Override
            public ConsumerStatus status() {
                return new ConsumerStatus(options.name(), consumers.contains(registered), 0, 0, 0, Optional.empty());
            }

            @Override
            public void replay(Message message) throws Exception {
                handler.handle(message);
            }

            @Override
            public void close() {
                consumers.remove(registered);
            }
        };
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public void close() {
        consumers.clear();
    }

    /** Every batch the broker confirmed, in order. */
    List<List<Message>> confirmedBatches() {
        return List.copyOf(confirmed);
    }

    /** Every confirmed message in the order confirmed, duplicates included. */
    List<Message> confirmedMessages() {
        return confirmed.stream().flatMap(List::stream).toList();
    }

    /** Calls of {@link #publish}, failed ones included. */
    int attempts() {
        return attempts.get();
    }

    void down(boolean unreachable) {
        this.down = unreachable;
    }

    /** The next {@code count} publishes fail with a retryable confirm timeout. */
    void failNext(int count) {
        failuresToThrow.set(count);
    }

    /** The broker refuses this message for good (while it is in a batch, the batch is not confirmed). */
    void refuse(UUID messageId) {
        refused.add(messageId);
    }

    void accept(UUID messageId) {
        refused.remove(messageId);
    }

    /** Runs at the start of every publish, before anything is confirmed. */
    void onPublish(Consumer<List<Message>> hook) {
        this.onPublish = hook;
    }

    /** Publishes wait until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }
}
