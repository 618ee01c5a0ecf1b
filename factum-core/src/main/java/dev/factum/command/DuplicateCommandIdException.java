// SPDX-License-Identifier: Apache-2.0
package dev.factum.command;

import dev.factum.FactumException;

import java.util.UUID;

/**
 * A command id already recorded as done for one command type was reused for a command of another type. A resend must
 * repeat the same command; answering a different command with the first one's result would be wrong, so it is refused
 * and nothing happens.
 *
 * @since 0.1
 */
public final class DuplicateCommandIdException extends FactumException {
    private final UUID commandId;
    private final String recordedType;
    private final String sentType;

    public DuplicateCommandIdException(UUID commandId, String recordedType, String sentType) {
        super("command id " + commandId + " was used by " + recordedType + " and is reused by " + sentType);
        this.commandId = commandId;
        this.recordedType = recordedType;
        this.sentType = sentType;
    }

    public UUID commandId() {
        return commandId;
    }

    /** Type name of the command recorded as done under this id. */
    public String recordedType() {
        return recordedType;
    }

    /** Type name of the command sent again under this id. */
    public String sentType() {
        return sentType;
    }
}
