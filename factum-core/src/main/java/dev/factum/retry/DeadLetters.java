// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import dev.factum.transport.InvalidMessageException;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHeaders;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's view of dead letters: list, inspect, replay to the consumer, discard with a reason — what the
 * {@code factum} command line and the shop's admin API call. Replay hands the message once to the consumer named in
 * the letter, which must be registered here ({@link #register}): a {@link MessageConsumer} registers itself through
 * the application; a subscription, projection or relay registers its own replay target.
 *
 * @since 0.1
 */
public final class DeadLetters {
    private final DeadLetterStore store;
    private final Clock clock;
    private final Map<String, ReplayTarget> targets = new ConcurrentHashMap<>();

    public DeadLetters(DeadLetterStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public DeadLetters(DeadLetterStore store) {
        this(store, Clock.systemUTC());
    }

    /** What a dead letter is replayed to: the consumer's handler, run once. */
    @FunctionalInterface
    public interface ReplayTarget {
        void replay(Message message) throws Exception;
    }

    /** Lets the letters of consumer {@code name} be replayed to {@code target}; a later registration replaces it. */
    public DeadLetters register(String name, ReplayTarget target) {
        targets.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(target, "target"));
        return this;
    }

    /** Registers a running consumer under its own name. */
    public DeadLetters register(MessageConsumer consumer) {
        return register(consumer.name(), consumer::replay);
    }

    public DeadLetterStore store() {
        return store;
    }

    public List<DeadLetter> list(DeadLetterQuery query) {
        return store.list(query);
    }

    /** @throws DeadLetterNotFoundException if there is no such letter */
    public DeadLetter inspect(UUID id) {
        return store.find(id).orElseThrow(() -> new DeadLetterNotFoundException(id));
    }

    /**
     * Replays a parked letter to its consumer, once. On success the letter is {@code REPLAYED}; on failure it stays
     * parked with the failed replay added to its attempts, and a {@link ReplayFailedException} says why.
     *
     * @throws DeadLetterNotFoundException if there is no such letter
     * @throws IllegalStateException       if it is not parked, or its consumer is not registered in this process
     * @throws ReplayFailedException       if the message cannot be read or the consumer failed again
     */
    public DeadLetter replay(UUID id) {
        DeadLetter letter = inspect(id);
        if (letter.state() != DeadLetterState.PARKED) {
            throw new IllegalStateException("dead letter " + id + " is already " + letter.state().name().toLowerCase());
        }
        ReplayTarget target = targets.get(letter.consumer());
        if (target == null) {
            throw new IllegalStateException("consumer '" + letter.consumer() + "' of dead letter " + id
                    + " does not run in this process; replay it where it runs");
        }
        try {
            Message message = MessageHeaders.decode(letter.headers(), letter.body());
            target.replay(message);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            store.addAttempt(id, new Attempt(letter.attempts().size() + 1, clock.instant(), Failures.reason(e)));
            throw new ReplayFailedException(id, e);
        }
        return store.resolve(id, DeadLetterState.REPLAYED, "replayed to " + letter.consumer(), clock.instant());
    }

    /**
     * Discards a parked letter for good, keeping it (state {@code DISCARDED}) with the reason.
     *
     * @throws IllegalArgumentException    if the reason is blank
     * @throws DeadLetterNotFoundException if there is no such letter
     * @throws IllegalStateException       if it is not parked
     */
    public DeadLetter discard(UUID id, String reason) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a discard needs a reason");
        return store.resolve(id, DeadLetterState.DISCARDED, reason.strip(), clock.instant());
    }

    /** A replay whose message could not be read or whose consumer failed again; the letter stays parked. */
    public static final class ReplayFailedException extends dev.factum.FactumException {
        private final UUID id;

        ReplayFailedException(UUID id, Throwable cause) {
            super("replay of dead letter " + id + " failed: " + Failures.reason(cause), cause);
            this.id = id;
        }

        public UUID id() {
            return id;
        }
    }
}
