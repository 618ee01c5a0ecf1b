// SPDX-License-Identifier: Apache-2.0
/**
 * The write side's entry point: a {@link dev.factum.command.CommandBus} routes each {@link dev.factum.command.Command}
 * record to exactly one {@link dev.factum.command.CommandHandler}, through an ordered, immutable chain of
 * {@link dev.factum.command.CommandInterceptor}s (validation, logging, metrics and idempotency by command id are in
 * {@link dev.factum.command.CommandInterceptors}). Every command travels with a {@link dev.factum.command.CommandContext}
 * (command id, correlation id, causation id, user id) that the handler turns into the {@code Metadata} of the events it
 * produces and that commands sent while handling carry on. Nullness: no nulls cross this API; absent means
 * {@code Optional}.
 */
package dev.factum.command;
