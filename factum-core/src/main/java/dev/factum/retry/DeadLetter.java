// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import dev.factum.transport.MessageHeaders;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A message that its consumer could not handle, kept with everything needed to understand and replay it: the message
 * as it arrived (envelope headers and body — also when it was not a readable Factum message), the consumer, the final
 * error with a stack summary, and every attempt with its time. One model for every hop: subscription and projection
 * handlers, the relay, and RabbitMQ, Kafka and in-process consumers.
 *
 * @param id           the dead letter's own id
 * @param consumer     who failed: a consumer, subscription or relay name
 * @param headers      the message's envelope headers ({@link MessageHeaders} names) or a foreign message's headers
 * @param body         the message body as text
 * @param reason       the final error, one line ({@code IllegalStateException: stock service down})
 * @param stackSummary the final error's stack, shortened
 * @param attempts     every failed attempt, oldest first (replays add theirs)
 * @param deadAt       when it became a dead letter
 * @param state             parked, replay requested, replayed or discarded
 * @param resolution        for a replayed or discarded letter: who/why ({@code discarded: duplicate of …})
 * @param resolvedAt        when it was replayed or discarded
 * @param replayRequestedAt when a replay was last requested ({@link DeadLetterStore#requestReplay}); present in state
 *                          {@code REPLAY_REQUESTED}, and kept when a failed replay parks the letter again
 * @since 0.1
 */
public record DeadLetter(UUID id, String consumer, Map<String, String> headers, String body, String reason,
                         String stackSummary, List<Attempt> attempts, Instant deadAt, DeadLetterState state,
                         Optional<String> resolution, Optional<Instant> resolvedAt,
                         Optional<Instant> replayRequestedAt) {

    public DeadLetter {
        Objects.requireNonNull(id, "id");
        if (consumer == null || consumer.isBlank()) throw new IllegalArgumentException("dead letter consumer is blank");
        headers = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(headers, "headers")));
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(stackSummary, "stackSummary");
        attempts = List.copyOf(attempts);
        Objects.requireNonNull(deadAt, "deadAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
        Objects.requireNonNull(replayRequestedAt, "replayRequestedAt");
        if (state == DeadLetterState.REPLAY_REQUESTED && replayRequestedAt.isEmpty()) {
            throw new IllegalArgumentException("dead letter " + id + " is REPLAY_REQUESTED without a request time");
        }
    }

    /** A letter on which no replay was ever requested. */
    public DeadLetter(UUID id, String consumer, Map<String, String> headers, String body, String reason,
                      String stackSummary, List<Attempt> attempts, Instant deadAt, DeadLetterState state,
                      Optional<String> resolution, Optional<Instant> resolvedAt) {
        this(id, consumer, headers, body, reason, stackSummary, attempts, deadAt, state, resolution, resolvedAt,
                Optional.empty());
    }

    /** A new parked dead letter with a fresh id. */
    public static DeadLetter park(String consumer, Map<String, String> headers, String body, Throwable error,
                                  List<Attempt> attempts, Instant at) {
        return new DeadLetter(dev.factum.event.EventIds.next(), consumer, headers, body, Failures.reason(error),
                Failures.stackSummary(error), attempts, at, DeadLetterState.PARKED, Optional.empty(), Optional.empty());
    }

    /** The message's type from its envelope, if it has one. */
    public Optional<String> messageType() {
        return Optional.ofNullable(headers.get(MessageHeaders.TYPE));
    }

    /** The message's id from its envelope, if it has one. */
    public Optional<String> messageId() {
        return Optional.ofNullable(headers.get(MessageHeaders.MESSAGE_ID));
    }

    /**
     * This letter after one more failed try: the attempt added, its error the reason, and a letter that was waiting
     * for its requested replay parked again.
     */
    public DeadLetter withAttempt(Attempt attempt) {
        List<Attempt> more = new java.util.ArrayList<>(attempts);
        more.add(attempt);
        DeadLetterState after = state == DeadLetterState.REPLAY_REQUESTED ? DeadLetterState.PARKED : state;
        return new DeadLetter(id, consumer, headers, body, attempt.error(), stackSummary, more, deadAt, after,
                resolution, resolvedAt, replayRequestedAt);
    }

    /** This letter waiting for the replay requested at {@code at}. */
    public DeadLetter replayRequested(Instant at) {
        return new DeadLetter(id, consumer, headers, body, reason, stackSummary, attempts, deadAt,
                DeadLetterState.REPLAY_REQUESTED, resolution, resolvedAt, Optional.of(at));
    }

    /** This letter resolved as {@code REPLAYED} or {@code DISCARDED}, with a note and the time. */
    public DeadLetter resolved(DeadLetterState to, String note, Instant at) {
        if (!to.resolved()) throw new IllegalArgumentException("a dead letter is resolved as replayed or discarded, not " + to);
        return new DeadLetter(id, consumer, headers, body, reason, stackSummary, attempts, deadAt, to,
                Optional.of(note), Optional.of(at), replayRequestedAt);
    }
}
