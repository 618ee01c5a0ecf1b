// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import dev.factum.retry.internal.DeadLetterRefusals;
import dev.factum.transport.Message;
import dev.factum.transport.MessageConsumer;
import dev.factum.transport.MessageHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's view of dead letters: list, inspect, replay to the consumer, discard with a reason — what the
 * {@code factum} command line and the shop's admin API call. Replay hands the message once to the consumer named in
 * the letter, which must be registered here ({@link #register}): a {@link MessageConsumer} registers itself through
 * the application; a subscription, projection or relay registers its own replay target.
 *
 * <p>A process where the consumer does not run (the command line) asks for the replay instead
 * ({@link #requestReplay}); the processes that run consumers replay requested letters of their registered consumers
 * with {@link #replayRequested()}, or every so often with {@link #startReplayer}. When several processes run the same
 * consumer, two of them may both replay a requested letter (at least once, like every delivery): the consumer's
 * {@link dev.factum.inbox.Inbox} makes the second one harmless, and the letter is resolved once.
 *
 * @since 0.1
 */
public final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    /** Requested letters read per consumer and round; more wait for the next round. */
    private static final int ROUND_LIMIT = 1_000;

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
     * Replays a letter to its consumer, once, here: a parked letter, or one whose replay was requested. On success the
     * letter is {@code REPLAYED}; on failure it is parked with the failed replay added to its attempts, and a
     * {@link ReplayFailedException} says why.
     *
     * @throws DeadLetterNotFoundException if there is no such letter
     * @throws IllegalStateException       if it is resolved already, or its consumer is not registered in this process
     * @throws ReplayFailedException       if the message cannot be read or the consumer failed again
     */
    public DeadLetter replay(UUID id) {
        DeadLetter letter = inspect(id);
        if (letter.state().resolved()) throw DeadLetterRefusals.inState(id, letter.state());
        ReplayTarget target = targets.get(letter.consumer());
        if (target == null) {
            throw new IllegalStateException("consumer '" + letter.consumer() + "' of dead letter " + id
                    + " does not run in this process; replay it where it runs");
        }
        return replayTo(target, letter);
    }

    /**
     * Asks for a parked letter to be replayed by a process that runs its consumer (state {@code REPLAY_REQUESTED});
     * that process's {@link #replayRequested()} does it. For a process where the consumer does not run.
     *
     * @return the letter, waiting for its replay
     * @throws DeadLetterNotFoundException if there is no such letter
     * @throws IllegalStateException       if it is not parked, naming its state
     */
    public DeadLetter requestReplay(UUID id) {
        return store.requestReplay(id, clock.instant());
    }

    /**
     * Replays the letters waiting for a requested replay whose consumer is registered here, oldest first, each once;
     * letters of consumers that run elsewhere are left to the process that runs them. A replay that fails parks its
     * letter again with the attempt added; the others go on.
     *
     * @return what this round did
     */
    public ReplayRound replayRequested() {
        List<UUID> replayed = new ArrayList<>();
        List<UUID> failed = new ArrayList<>();
        for (Map.Entry<String, ReplayTarget> consumer : targets.entrySet()) {
            List<DeadLetter> requested = new ArrayList<>(store.list(DeadLetterQuery.all().consumer(consumer.getKey())
                    .state(DeadLetterState.REPLAY_REQUESTED).limit(ROUND_LIMIT)));
            for (DeadLetter listed : requested.reversed()) {
                // read again just before: another process may have replayed or discarded it meanwhile
                Optional<DeadLetter> letter = store.find(listed.id())
                        .filter(l -> l.state() == DeadLetterState.REPLAY_REQUESTED);
                if (letter.isEmpty()) continue;
                try {
                    replayTo(consumer.getValue(), letter.get());
                    replayed.add(listed.id());
                } catch (ReplayFailedException e) {
                    log.warn("dead letter {} of consumer {}: requested replay failed, parked again: {}", listed.id(),
                            consumer.getKey(), e.getCause() == null ? e.getMessage() : Failures.reason(e.getCause()));
                    failed.add(listed.id());
                } catch (IllegalStateException | DeadLetterNotFoundException e) {
                    // handled by the consumer, but resolved (or pruned) elsewhere in the meantime
                    log.debug("dead letter {} of consumer {}: replayed, but {}", listed.id(), consumer.getKey(),
                            e.getMessage());
                    replayed.add(listed.id());
                }
            }
        }
        if (!replayed.isEmpty() || !failed.isEmpty()) {
            log.info("replayed {} requested dead letter(s), {} failed again", replayed.size(), failed.size());
        }
        return new ReplayRound(replayed, failed);
    }

    /**
     * Runs {@link #replayRequested()} now and then every {@code every} on a virtual thread, until closed. A round that
     * fails (the store cannot be reached) is logged and the next one runs as usual.
     *
     * @throws IllegalArgumentException if {@code every} is not positive
     */
    public DeadLetterReplayer startReplayer(Duration every) {
        Objects.requireNonNull(every, "every");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the replayer's interval must be positive, was " + every);
        }
        return DeadLetterReplayer.start(this, every);
    }

    /**
     * Discards a letter for good — parked, or waiting for a requested replay — keeping it (state {@code DISCARDED})
     * with the reason.
     *
     * @throws IllegalArgumentException    if the reason is blank
     * @throws DeadLetterNotFoundException if there is no such letter
     * @throws IllegalStateException       if it is resolved already
     */
    public DeadLetter discard(UUID id, String reason) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a discard needs a reason");
        return store.resolve(id, DeadLetterState.DISCARDED, reason.strip(), clock.instant());
    }

    private DeadLetter replayTo(ReplayTarget target, DeadLetter letter) {
        UUID id = letter.id();
        try {
            Message message = MessageHeaders.decode(letter.headers(), letter.body());
            target.replay(message);
        } catch (Exception | LinkageError | AssertionError e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            store.addAttempt(id, new Attempt(letter.attempts().size() + 1, clock.instant(), Failures.reason(e)));
            throw new ReplayFailedException(id, e);
        }
        return store.resolve(id, DeadLetterState.REPLAYED, "replayed to " + letter.consumer(), clock.instant());
    }

    /**
     * What one {@link #replayRequested()} round did.
     *
     * @param replayed the letters handed to their consumer, which handled them (now {@code REPLAYED})
     * @param failed   the letters whose consumer failed again (parked again, with the attempt)
     */
    public record ReplayRound(List<UUID> replayed, List<UUID> failed) {
        public ReplayRound {
            replayed = List.copyOf(replayed);
            failed = List.copyOf(failed);
        }

        /** Whether the round found nothing to replay. */
        public boolean isEmpty() {
            return replayed.isEmpty() && failed.isEmpty();
        }
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
