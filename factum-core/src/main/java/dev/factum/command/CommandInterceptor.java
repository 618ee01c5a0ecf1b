// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

/**
 * One link of a {@link CommandBus}'s middleware: it sees every command with its context before the handler and may
 * refuse it (throw), answer without the handler (return without calling {@link Chain#proceed()}), or wrap the call
 * (timing, logging). Interceptors run in the order they were added to the builder, the first one outermost; the chain
 * is fixed when the bus is built. Ready-made ones are in {@link CommandInterceptors}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface CommandInterceptor {

    /**
     * Handles the command, normally by calling {@code chain.proceed()} once and returning its result.
     *
     * @return the command's result: what {@code chain.proceed()} returned, or one of the same type
     */
    Object intercept(Command<?> command, CommandContext context, Chain chain);

    /**
     * The rest of the chain: the next interceptors, then the handler. Call {@link #proceed()} at most once.
     *
     * @since 0.1
     */
    @FunctionalInterface
    interface Chain {
        Object proceed();
    }
}
