// SPDX-License-Identifier: Apache-2.0
package dev.factum.command.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.FactumException;
import dev.factum.event.codec.EventCodec;

import java.util.Objects;
import java.util.UUID;

/**
 * How the durable command result stores keep a command's result: its class name and its JSON, written and read with
 * {@link EventCodec#defaultMapper()}. {@link #encode} reads the JSON back once, so a result that would not survive the
 * trip (an anonymous class, an immutable JDK collection) is refused when it is saved, not when a resend needs it.
 */
public final class ResultJson {
    private static final ObjectMapper MAPPER = EventCodec.defaultMapper();

    /** A result as stored. */
    public record Encoded(String type, String json) {
    }

    private ResultJson() {
    }

    /**
     * The stored form of {@code result}.
     *
     * @throws FactumException naming the command and the class if the result cannot be written as JSON or read back
     */
    public static Encoded encode(UUID commandId, Object result) {
        Objects.requireNonNull(result, "result");
        Class<?> type = result.getClass();
        if (type.isAnonymousClass() || type.isLocalClass() || type.isHidden()) {
            throw new FactumException("the result of command " + commandId + " is of an anonymous, local or lambda class ("
                    + type.getName() + "), which cannot be read back by name: return a record");
        }
        String json;
        try {
            json = MAPPER.writeValueAsString(result);
        } catch (Exception e) {
            throw new FactumException("the result of command " + commandId + " (" + type.getName()
                    + ") cannot be written as JSON: " + e.getMessage(), e);
        }
        Encoded encoded = new Encoded(type.getName(), json);
        decode(commandId, encoded.type(), encoded.json());
        return encoded;
    }

    /**
     * The result stored as {@code json} of class {@code type}.
     *
     * @throws FactumException naming the command and the class if the class is missing or the JSON does not fit it
     */
    public static Object decode(UUID commandId, String type, String json) {
        Class<?> cls;
        try {
            cls = Class.forName(type, false, loader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new FactumException("the recorded result of command " + commandId + " is of class " + type
                    + ", which this process does not have", e);
        }
        try {
            return MAPPER.readValue(json, cls);
        } catch (Exception e) {
            throw new FactumException("the recorded result of command " + commandId + " cannot be read back as "
                    + type + ": " + e.getMessage(), e);
        }
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ResultJson.class.getClassLoader();
    }
}
