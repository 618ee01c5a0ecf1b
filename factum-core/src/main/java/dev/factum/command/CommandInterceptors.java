// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
     * with the same id. Concurrent sends with the same id run the handler once in this process: the later ones wait
     * for the first, then answer its result (or, if it failed, the next of them runs). Across processes, a durable
     * store with a unique command id is needed to keep the same promise.
     */
    public static CommandInterceptor idempotency(CommandResultStore store) {
        return new Idempotency(Objects.requireNonNull(store, "store"));
    }

    private static final class Idempotency implements CommandInterceptor {
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
                Optional<Object> earlier = recorded(id, type);
                if (earlier.isPresent()) return earlier.get();
                CompletableFuture<Void> mine = new CompletableFuture<>();
                CompletableFuture<Void> other = running.putIfAbsent(id, mine);
                if (other != null) {
                    other.join(); // the first send of this id ended; look again (its result, or run it ourselves)
                    continue;
                }
                try {
                    earlier = recorded(id, type); // done between the first look and taking the claim
                    if (earlier.isPresent()) return earlier.get();
                    Object result = chain.proceed();
                    store.save(new CompletedCommand(id, type, result));
                    return result;
                } finally {
                    running.remove(id, mine);
                    mine.complete(null);
                }
            }
        }

        private Optional<Object> recorded(UUID id, String type) {
            return store.find(id).map(done -> {
                if (!done.commandType().equals(type)) throw new DuplicateCommandIdException(id, done.commandType(), type);
                return done.result();
            });
        }
    }
}
