// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

/**
 * Marker of a command record whose handler answers with a result of type {@code R}, so that
 * {@link CommandBus#send(Command, CommandContext)} is typed without casts at the call site. A command names an intent
 * ({@code OpenAccount}, {@code AddCartItem}); it is a value (a record), compared by its fields.
 *
 * @param <R> the type of the handler's result; never {@code null} (use a small record when there is nothing to say)
 * @since 0.1
 */
public interface Command<R> {
}
