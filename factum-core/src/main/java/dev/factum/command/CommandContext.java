// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.event.EventIds;
import dev.factum.event.Metadata;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who sent a command and in which conversation: the command's own id (the key of idempotency: a resend must reuse it),
 * the correlation id shared by every message of the conversation, the id of the message that caused this command,
 * and the user on whose behalf it is sent. Immutable; the {@code with…} methods return copies.
 *
 * <p>{@link #create()} starts a conversation: a fresh time-ordered command id that is also the correlation and
 * causation id. {@link #nextCommand()} is the context of a command sent while handling this one (same correlation and
 * user, caused by this command); {@link #causedBy(Metadata)} that of a command sent in reaction to an event.
 * {@link #eventMetadata()} is the {@link Metadata} for an event this command produces. While a {@link CommandBus}
 * runs a command, {@link #current()} returns its context on the sending thread.
 *
 * <p>Refused with an {@link IllegalArgumentException}: a blank correlation, causation or user id.
 *
 * @param commandId     unique id of this command; sending again with the same id is idempotent (with
 *                      {@link CommandInterceptors#idempotency(CommandResultStore)})
 * @param correlationId id shared by every message of one conversation
 * @param causationId   id of the command or event that caused this command (its own id for a root command)
 * @param userId        the user on whose behalf the command is sent
 * @since 0.1
 */
public record CommandContext(UUID commandId, String correlationId, String causationId, Optional<String> userId) {

    /** The context of the command the bus is running on this thread; set and cleared by {@link CommandBus}. */
    static final ThreadLocal<CommandContext> CURRENT = new ThreadLocal<>();

    public CommandContext {
        Objects.requireNonNull(commandId, "commandId");
        requireText(correlationId, "correlation id");
        requireText(causationId, "causation id");
        Objects.requireNonNull(userId, "userId");
        userId.ifPresent(u -> requireText(u, "user id"));
    }

    /** The context of a root command: a fresh time-ordered id, used as its correlation and causation id too. */
    public static CommandContext create() {
        return withId(EventIds.next());
    }

    /**
     * The context of a root command with the given id: give the same id when sending the same command again (after a
     * timeout, from a client's retry) so that it takes effect once.
     */
    public static CommandContext withId(UUID commandId) {
        String id = commandId.toString();
        return new CommandContext(commandId, id, id, Optional.empty());
    }

    /**
     * The context of a command sent in reaction to an event (by a process manager or a saga): a fresh id, the event's
     * correlation id and user, caused by the event.
     */
    public static CommandContext causedBy(Metadata event) {
        return new CommandContext(EventIds.next(), event.correlationId(), event.eventId().toString(), event.userId());
    }

    /** The context of the command a {@link CommandBus} is running on this thread, if any. */
    public static Optional<CommandContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The context of a command sent while handling this one: a fresh id, same correlation and user, caused by this. */
    public CommandContext nextCommand() {
        return nextCommand(EventIds.next());
    }

    /** Like {@link #nextCommand()} with a chosen id, for a nested command that must stay idempotent across retries. */
    public CommandContext nextCommand(UUID id) {
        return new CommandContext(id, correlationId, commandId.toString(), userId);
    }

    /**
     * Metadata for one event this command produces: a fresh time-ordered event id, this command's correlation id,
     * this command's id as causation id, and its user. Call once per event.
     */
    public Metadata eventMetadata() {
        UUID eventId = EventIds.next();
        return new Metadata(eventId, correlationId, commandId.toString(), userId, Optional.empty(), 1,
                java.util.Map.of());
    }

    public CommandContext withCommandId(UUID id) {
        return new CommandContext(id, correlationId, causationId, userId);
    }

    public CommandContext withCorrelationId(String id) {
        return new CommandContext(commandId, id, causationId, userId);
    }

    public CommandContext withCausationId(String id) {
        return new CommandContext(commandId, correlationId, id, userId);
    }

    public CommandContext withUserId(String id) {
        return new CommandContext(commandId, correlationId, causationId, Optional.of(id));
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " is blank");
    }
}
