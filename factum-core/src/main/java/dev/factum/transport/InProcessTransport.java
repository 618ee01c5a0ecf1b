// SPDX-License-Identifier: Apache-2.0
package dev.factum.transport;

import dev.factum.event.RecordedEvent;
import dev.factum.retry.DeadLetterStore;
import dev.factum.retry.RetryingHandler;
import dev.factum.retry.Sleeper;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.subscription.Checkpoint;
import dev.factum.subscription.CheckpointStore;
import dev.factum.transport.internal.StoreFollower;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * The embedded default transport: consumers in the same process, reading the event store itself. Each consumer
 * follows the store in global order from its own durable checkpoint ({@code transport:<name>} in the
 * {@link CheckpointStore}), takes the events its bindings match as {@link Message}s, and moves its checkpoint after
 * each handled message. Nothing sits in memory between a commit and a consumer, so nothing is lost when the process
 * dies: a restarted consumer continues after its checkpoint, and the message it was handling is delivered again
 * (at least once; use an {@link dev.factum.inbox.Inbox}).
 *
 * <p>Because consumers read the store, {@link #publish} has nothing to send: it confirms at once. The
 * {@link dev.factum.relay.Relay} can still run over this transport (it then only moves its own checkpoint), which
 * keeps the application's wiring the same whichever transport configuration selects.
 *
 * <p><b>Ordering and retries.</b> A consumer handles one message at a time in global order. A failing message is retried
 * in place by the consumer's {@link dev.factum.retry.RetryPolicy} (waiting with the {@link Sleeper}), holding back the
 * consumer's later messages until it is handled or becomes a dead letter; then the consumer goes on.
 *
 * @since 0.1
 */
public final class InProcessTransport implements Transport {
    private static final String CHECKPOINT_PREFIX = "transport:";

    private final EventStore store;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollInterval;
    private final Map<String, Consumer> consumers = new ConcurrentHashMap<>();

    public InProcessTransport(EventStore store, CheckpointStore checkpoints, DeadLetterStore deadLetters,
                              Clock clock, Sleeper sleeper, Duration pollInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** With the system clock, real sleeps and a 1 s poll (commits wake consumers at once). */
    public InProcessTransport(EventStore store, CheckpointStore checkpoints, DeadLetterStore deadLetters) {
        this(store, checkpoints, deadLetters, Clock.systemUTC(), Sleeper.SYSTEM, Duration.ofSeconds(1));
    }

    @Override
    public String name() {
        return "in-process";
    }

    /** Confirms at once: consumers of this transport read the messages from the store itself. */
    @Override
    public void publish(List<Message> messages) {
        Objects.requireNonNull(messages, "messages");
    }

    /**
     * {@inheritDoc}
     *
     * <p>In one process a consumer name runs once: two consumers of one name would each handle every message.
     *
     * @throws IllegalStateException if a consumer of this name runs on this transport (close it first)
     */
    @Override
    public MessageConsumer consume(ConsumerOptions options, MessageHandler handler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        Consumer consumer = new Consumer(options, handler);
        if (consumers.putIfAbsent(options.name(), consumer) != null) {
            throw new IllegalStateException("consumer '" + options.name() + "' already runs on this transport; close "
                    + "it before consuming under that name again");
        }
        consumer.follower.start();
        return consumer;
    }

    @Override
    public void close() {
        List.copyOf(consumers.values()).forEach(Consumer::close);
    }

    private final class Consumer implements MessageConsumer {
        private final ConsumerOptions options;
        private final RetryingHandler delivery;
        private final StoreFollower follower;

        Consumer(ConsumerOptions options, MessageHandler handler) {
            this.options = options;
            this.delivery = new RetryingHandler(options.name(), handler, options.retry(), deadLetters, clock, sleeper);
            String checkpoint = CHECKPOINT_PREFIX + options.name();
            Set<Optional<String>> categories = options.bindings().stream().map(Binding::streamCategory)
                    .collect(Collectors.toSet());
            Optional<String> category = categories.size() == 1 ? categories.iterator().next() : Optional.empty();
            this.follower = new StoreFollower(checkpoint, store, category, options.prefetch(), pollInterval,
                    Duration.ofSeconds(1), () -> checkpoints.load(checkpoint).orElse(Position.BEGINNING),
                    events -> deliver(checkpoint, events));
        }

        private Position deliver(String checkpoint, List<RecordedEvent> events) throws InterruptedException {
            if (options.concurrency() > 1) return deliverSideBySide(checkpoint, events);
            Position last = null;
            boolean saved = true;
            for (RecordedEvent event : events) {
                last = event.position();
                Message message = Message.of(event);
                if (options.accepts(message.routingKey())) {
                    delivery.deliver(message);
                    checkpoints.save(new Checkpoint(checkpoint, last)); // after each handled message: none twice
                    saved = true;
                } else {
                    saved = false; // events the consumer is not bound to cost no write of their own
                }
            }
            if (!saved) checkpoints.save(new Checkpoint(checkpoint, last));
            return last;
        }

        /**
         * Handles the batch's messages with up to {@code concurrency} streams at once, each stream's in order, then
         * saves the checkpoint once at the batch's end. A failure (the dead-letter store failing, an interrupt) leaves
         * the checkpoint where it was: the follower reads the batch again.
         */
        private Position deliverSideBySide(String checkpoint, List<RecordedEvent> events) throws InterruptedException {
            Map<String, List<Message>> byStream = new LinkedHashMap<>();
            for (RecordedEvent event : events) {
                Message message = Message.of(event);
                if (options.accepts(message.routingKey())) {
                    byStream.computeIfAbsent(message.stream(), s -> new ArrayList<>()).add(message);
                }
            }
            Semaphore slots = new Semaphore(options.concurrency());
            List<Future<?>> running = new ArrayList<>();
            try (ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor()) {
                for (List<Message> stream : byStream.values()) {
                    slots.acquire();
                    running.add(streams.submit(() -> {
                        try {
                            for (Message message : stream) delivery.deliver(message);
                            return null;
                        } finally {
                            slots.release();
                        }
                    }));
                }
                for (Future<?> each : running) {
                    try {
                        each.get();
                    } catch (ExecutionException e) {
                        running.forEach(f -> f.cancel(true));
                        Throwable cause = e.getCause();
                        if (cause instanceof InterruptedException interrupted) throw interrupted;
                        if (cause instanceof RuntimeException runtime) throw runtime;
                        throw new IllegalStateException("consumer " + options.name() + " failed: " + cause, cause);
                    }
                }
            }
            Position last = events.getLast().position();
            checkpoints.save(new Checkpoint(checkpoint, last));
            return last;
        }

        @Override
        public String name() {
            return options.name();
        }

        @Override
        public ConsumerStatus status() {
            return new ConsumerStatus(options.name(), follower.running(), delivery.handled(), delivery.retried(),
                    delivery.deadLettered(), delivery.lastError().or(follower::lastError));
        }

        @Override
        public void replay(Message message) throws Exception {
            delivery.replay(message);
        }

        @Override
        public void close() {
            follower.close();
            consumers.remove(options.name(), this);
        }
    }
}
