// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.FactumException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ready-made {@link CommandInterceptor}s. A sensible order, outermost first: {@link #logging()},
 * {@link #metrics(CommandMetrics)}, {@link #validation(CommandValidator)}, {@link #idempotency(CommandResultStore)} —
 * so that every command is logged and measured, and a refused command is never recorded as done.
 *
 * @since 0.1
 */
public final class CommandInterceptors {
    private static final Logger LOG = LoggerFactory.getLogger(CommandBus.class);

    private CommandInterceptors() {
    }

    /**
     * Refuses a command the validator finds problems with: {@link InvalidCommandException} naming them all, and the
     * rest of the chain (the handler) is not called.
     */
    public static CommandInterceptor validation(CommandValidator validator) {
        Objects.requireNonNull(validator, "validator");
        return (command, context, chain) -> {
            List<String> problems = validator.problems(command);
            if (!problems.isEmpty()) throw new InvalidCommandException(command.getClass().getSimpleName(), problems);
            return chain.proceed();
        };
    }

    /**
     * Logs each command through SLF4J (logger {@code dev.factum.command.CommandBus}): at DEBUG when it succeeded, at
     * INFO when it was refused as invalid, at WARN with the error when it failed; always with the command's type, id
     * and correlation id, and the time it took.
     */
    public static CommandInterceptor logging() {
        return (command, context, chain) -> {
            String type = command.getClass().getSimpleName();
            long start = System.nanoTime();
            try {
                Object result = chain.proceed();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} {} (correlation {}) done in {} µs", type, context.commandId(),
                            context.correlationId(), (System.nanoTime() - start) / 1_000);
                }
                return result;
            } catch (InvalidCommandException e) {
                LOG.info("{} {} (correlation {}) refused: {}", type, context.commandId(), context.correlationId(),
                        e.problems());
                throw e;
            } catch (RuntimeException | Error e) {
                LOG.warn("{} {} (correlation {}) failed", type, context.commandId(), context.correlationId(), e);
                throw e;
            }
        };
    }

    /** Reports each command's type, duration and {@link CommandMetrics.Outcome} to the hook. */
    public static CommandInterceptor metrics(CommandMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        return (command, context, chain) -> {
            String type = command.getClass().getSimpleName();
            long start = System.nanoTime();
            CommandMetrics.Outcome outcome = CommandMetrics.Outcome.FAILED;
            try {
                Object result = chain.proceed();
                outcome = CommandMetrics.Outcome.SUCCEEDED;
                return result;
            } catch (InvalidCommandException e) {
                outcome = CommandMetrics.Outcome.INVALID;
                throw e;
            } finally {
                metrics.commandHandled(type, Duration.ofNanos(System.nanoTime() - start), outcome);
            }
        };
    }

    /**
     * Makes commands idempotent by command id: a command whose id is recorded as done in the store is answered with
     * the recorded result and has no second effect; a reused id on a command of another type is refused with
     * {@link DuplicateCommandIdException}. Only a successful command is recorded, so a failed one can be sent again
     * with the same id.
     *
     * <p>Concurrent sends with the same id run the handler once. In this process the later ones wait for the first,
     * then answer its result (or, if it failed, the next of them runs). Across processes sharing a durable store they
     * meet at {@link CommandResultStore#claim}: the one that gets the claim runs the handler, the others look again
     * every few milliseconds (backing off to a quarter of a second) until it is done, released or abandoned. A claim
     * whose process died before saving a result is abandoned after {@link CommandResultOptions#claimTimeout()}, and
     * then the next send runs the handler again (see {@link CommandResultStore}). If saving the result fails, the
     * command still succeeded: its result is returned and the failure logged at WARN; the claim stays until it is
     * abandoned.
     *
     * @throws dev.factum.FactumException if interrupted while waiting for another send of the same id
     */
    public static CommandInterceptor idempotency(CommandResultStore store) {
        return new Idempotency(Objects.requireNonNull(store, "store"));
    }

    private static final class Idempotency implements CommandInterceptor {
        private static final long FIRST_WAIT_MILLIS = 5;
        private static final long LONGEST_WAIT_MILLIS = 250;

        private final CommandResultStore store;
        private final ConcurrentHashMap<UUID, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

        Idempotency(CommandResultStore store) {
            this.store = store;
        }

        @Override
        public Object intercept(Command<?> command, CommandContext context, Chain chain) {
            UUID id = context.commandId();
            String type = command.getClass().getName();
            while (true) {
                CompletableFuture<Void> mine = new CompletableFuture<>();
                CompletableFuture<Void> other = running.putIfAbsent(id, mine);
                if (other != null) {
                    other.join(); // the send of this id in this process ended; look again (its result, or run it)
                    continue;
                }
                try {
                    return claimAndRun(id, type, chain);
                } finally {
                    running.remove(id, mine);
                    mine.complete(null);
                }
            }
        }

        private Object claimAndRun(UUID id, String type, Chain chain) {
            long wait = FIRST_WAIT_MILLIS;
            while (true) {
                switch (store.claim(id, type)) {
                    case CommandClaim.Done done -> {
                        requireSameType(id, done.completed().commandType(), type);
                        return done.completed().result();
                    }
                    case CommandClaim.Running other -> {
                        requireSameType(id, other.commandType(), type);
                        pause(id, wait); // another process runs it; look again
                        wait = Math.min(wait * 2, LONGEST_WAIT_MILLIS);
                    }
                    case CommandClaim.Claimed claim -> {
                        return run(claim, type, chain);
                    }
                }
            }
        }

        private Object run(CommandClaim.Claimed claim, String type, Chain chain) {
            Object result;
            try {
                result = chain.proceed();
            } catch (RuntimeException | Error e) {
                try {
                    store.release(claim);
                } catch (RuntimeException releaseFailed) {
                    e.addSuppressed(releaseFailed); // the claim is abandoned after the claim timeout instead
                }
                throw e;
            }
            try {
                store.save(new CompletedCommand(claim.commandId(), type, result));
            } catch (RuntimeException e) {
                LOG.warn("command {} ({}) succeeded but its result could not be recorded; a resend after the claim"
                        + " timeout runs it again", claim.commandId(), type, e);
            }
            return result;
        }

        private static void requireSameType(UUID id, String recorded, String sent) {
            if (!recorded.equals(sent)) throw new DuplicateCommandIdException(id, recorded, sent);
        }

        private static void pause(UUID id, long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FactumException("interrupted while waiting for another send of command " + id + " to finish", e);
            }
        }
    }
}
