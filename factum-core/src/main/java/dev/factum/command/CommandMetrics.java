// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import java.time.Duration;

/**
 * A small hook for metrics, called once per command by {@link CommandInterceptors#metrics(CommandMetrics)} after the
 * command finished; adapters to Micrometer and others live outside {@code factum-core}. Called on the sender's thread:
 * keep it quick. The duration covers the interceptors after the metrics one and the handler.
 *
 * @since 0.1
 */
public interface CommandMetrics {
    CommandMetrics NONE = new CommandMetrics() {
    };

    /**
     * How a command ended.
     *
     * @since 0.1
     */
    enum Outcome {
        /** The handler returned a result (or the result of an earlier send with the same command id was returned). */
        SUCCEEDED,
        /** A validator refused the command ({@link InvalidCommandException}); the handler was not called. */
        INVALID,
        /** The handler or an interceptor threw. */
        FAILED
    }

    /**
     * A command finished.
     *
     * @param commandType the command's type name (its simple class name)
     * @param took        wall-clock time from entering the metrics interceptor to leaving it
     * @param outcome     how it ended
     */
    default void commandHandled(String commandType, Duration took, Outcome outcome) {
    }
}
