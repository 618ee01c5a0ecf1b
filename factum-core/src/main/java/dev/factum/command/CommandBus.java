// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.command.internal.HandlerRoutes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Routes each command to exactly one {@link CommandHandler}, through the interceptors, and answers the handler's
 * result. Blocking: {@link #send(Command, CommandContext)} returns when the handler has returned, on the sender's
 * thread; concurrency comes from the senders' (virtual) threads.
 *
 * <p>Routing is by the command's class: the handler registered for that class, else the one registered for the most
 * specific of its supertypes (so one handler may take a whole sealed interface of commands). Refused: a second
 * handler for the same type ({@link IllegalStateException} at registration), a command with no handler
 * ({@link NoHandlerException}, nothing runs), a command matched by several unrelated supertypes
 * ({@link IllegalStateException}). Handlers and interceptors are fixed when the bus is built.
 *
 * <p>Metadata flows by itself: while a command runs, {@link CommandContext#current()} returns its context on the
 * sending thread, and {@link #send(Command)} called there sends with {@link CommandContext#nextCommand()} — same
 * correlation id and user, the running command as cause. The handler gets the context as a parameter too, for the
 * events it produces ({@link CommandContext#eventMetadata()}) and for work on other threads.
 *
 * @since 0.1
 */
public final class CommandBus {
    private final HandlerRoutes<CommandHandler<?, ?>> routes;
    private final List<CommandInterceptor> interceptors;

    private CommandBus(Builder b) {
        this.routes = new HandlerRoutes<>(b.handlers);
        this.interceptors = List.copyOf(b.interceptors);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends a command with the given context and returns its handler's result.
     *
     * @throws NoHandlerException         no handler is registered for the command's type
     * @throws InvalidCommandException    a validation interceptor refused it
     * @throws DuplicateCommandIdException its id was recorded as done for a command of another type
     * @throws RuntimeException           whatever the handler threw, unchanged
     */
    public <R> R send(Command<R> command, CommandContext context) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
        CommandHandler<?, ?> handler = route(command.getClass());
        CommandContext outer = CommandContext.CURRENT.get();
        CommandContext.CURRENT.set(context);
        try {
            Object result = proceed(0, command, context, handler);
            @SuppressWarnings("unchecked") R typed = (R) result;
            return typed;
        } finally {
            if (outer == null) CommandContext.CURRENT.remove();
            else CommandContext.CURRENT.set(outer);
        }
    }

    /**
     * Sends a command with the context that follows from the one running on this thread
     * ({@link CommandContext#nextCommand()}), or a fresh root context ({@link CommandContext#create()}) outside of a
     * handler. Same errors as {@link #send(Command, CommandContext)}.
     */
    public <R> R send(Command<R> command) {
        return send(command, CommandContext.current().map(CommandContext::nextCommand).orElseGet(CommandContext::create));
    }

    /** The command types this bus has handlers for. */
    public java.util.Set<Class<?>> commandTypes() {
        return routes.types();
    }

    private Object proceed(int index, Command<?> command, CommandContext context, CommandHandler<?, ?> handler) {
        if (index < interceptors.size()) {
            return interceptors.get(index).intercept(command, context, () -> proceed(index + 1, command, context, handler));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object result = ((CommandHandler) handler).handle(command, context);
        if (result == null) {
            throw new IllegalStateException("the handler of " + command.getClass().getName() + " returned null");
        }
        return result;
    }

    private CommandHandler<?, ?> route(Class<?> type) {
        return routes.route(type);
    }

    /**
     * Collects handlers and interceptors; {@link #build()} fixes them. Not thread-safe; use it from one thread.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final Map<Class<?>, CommandHandler<?, ?>> handlers = new LinkedHashMap<>();
        private final List<CommandInterceptor> interceptors = new ArrayList<>();

        private Builder() {
        }

        /**
         * Registers the handler of one command type (a record class, or an interface such as a sealed one for all of
         * its records).
         *
         * @throws IllegalStateException a handler is already registered for this type
         */
        public <C extends Command<R>, R> Builder handler(Class<C> type, CommandHandler<C, R> handler) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
            if (handlers.putIfAbsent(type, handler) != null) {
                throw new IllegalStateException("a handler is already registered for " + type.getName());
            }
            return this;
        }

        /** Adds an interceptor after those added before; the first added runs outermost. */
        public Builder interceptor(CommandInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        public CommandBus build() {
            return new CommandBus(this);
        }
    }
}
