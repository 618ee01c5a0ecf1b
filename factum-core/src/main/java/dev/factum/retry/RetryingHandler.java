// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import dev.factum.transport.InvalidMessageException;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.MessageHeaders;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers a message to a handler in place, retrying by a {@link RetryPolicy} and waiting with a {@link Sleeper}, and
 * parks it as a {@link DeadLetter} when the attempts run out or the failure is not retryable. While it waits, the
 * caller's later messages wait too: this is how a consumer that must keep order (the in-process transport, a Kafka
 * partition) retries. RabbitMQ consumers retry through delay queues instead.
 *
 * @since 0.1
 */
public final class RetryingHandler {
    /** What became of a message. */
    public enum Outcome { HANDLED, DEAD_LETTERED }

    private final String consumer;
    private final MessageHandler handler;
    private final RetryPolicy policy;
    private final DeadLetterStore deadLetters;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    public RetryingHandler(String consumer, MessageHandler handler, RetryPolicy policy, DeadLetterStore deadLetters,
                           Clock clock, Sleeper sleeper) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Handles {@code message}, retrying as the policy says.
     *
     * @throws InterruptedException if interrupted while waiting for a retry (nothing is dead-lettered then: the
     *                              message was not handled and must be delivered again)
     */
    public Outcome deliver(Message message) throws InterruptedException {
        List<Attempt> attempts = new ArrayList<>();
        while (true) {
            try {
                handler.handle(message);
                handled.incrementAndGet();
                return Outcome.HANDLED;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                attempts.add(new Attempt(attempts.size() + 1, clock.instant(), Failures.reason(e)));
                lastError.set(Failures.reason(e));
                Optional<Duration> wait = RetryPolicy.retryable(e) ? policy.delayAfter(attempts.size()) : Optional.empty();
                if (wait.isEmpty()) {
                    park(MessageHeaders.encode(message), message.body(), e, attempts);
                    return Outcome.DEAD_LETTERED;
                }
                retried.incrementAndGet();
                sleeper.sleep(wait.get());
            }
        }
    }

    /** Parks a message that could not even be read (bad headers, not JSON, wrong content type) at once. */
    public void rejectUnreadable(Map<String, String> headers, String body, InvalidMessageException error) {
        lastError.set(Failures.reason(error));
        park(headers, body, error, List.of(new Attempt(1, clock.instant(), Failures.reason(error))));
    }

    private void park(Map<String, String> headers, String body, Exception error, List<Attempt> attempts) {
        deadLetters.add(DeadLetter.park(consumer, headers, body, error, attempts, clock.instant()));
        deadLettered.incrementAndGet();
    }

    /** Hands {@code message} to the handler once, without retries: a dead letter's replay. */
    public void replay(Message message) throws Exception {
        handler.handle(message);
        handled.incrementAndGet();
    }

    public long handled() {
        return handled.get();
    }

    public long retried() {
        return retried.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }
}
