// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;
import dev.factum.transport.InvalidMessageException;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHeaders;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A {@link Message} as AMQP properties and body, and back. Not an API. */
public final class AmqpMessages {
    /** Pseudo-header prefix under which a dead letter of an unreadable message keeps the AMQP properties. */
    public static final String AMQP_PREFIX = "amqp-";

    private AmqpMessages() {
    }

    /** Persistent, with message id, timestamp, content type, type, correlation id and the envelope as headers. */
    public static AMQP.BasicProperties properties(Message message) {
        Map<String, Object> headers = new LinkedHashMap<>(MessageHeaders.encode(message));
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .messageId(message.messageId().toString())
                .timestamp(Date.from(message.timestamp()))
                .contentType(message.contentType())
                .type(message.type())
                .correlationId(message.correlationId())
                .headers(headers)
                .build();
    }

    public static byte[] body(Message message) {
        return message.body().getBytes(StandardCharsets.UTF_8);
    }

    /** The AMQP headers whose values are text or numbers, as strings (tables and arrays such as x-death are left out). */
    public static Map<String, String> stringHeaders(AMQP.BasicProperties properties) {
        Map<String, String> strings = new TreeMap<>();
        Map<String, Object> headers = properties.getHeaders();
        if (headers == null) return strings;
        headers.forEach((name, value) -> {
            String text = text(value);
            if (text != null) strings.put(name, text);
        });
        return strings;
    }

    /** A header value as text: strings and numbers; {@code null} for tables, arrays and absent values. */
    public static String text(Object value) {
        if (value instanceof LongString || value instanceof String) return value.toString();
        if (value instanceof byte[] bytes) return new String(bytes, StandardCharsets.UTF_8);
        if (value instanceof Number || value instanceof Boolean) return value.toString();
        if (value instanceof Date date) return date.toInstant().toString();
        return null;
    }

    /**
     * A foreign message's headers for its dead letter: the text headers, plus the AMQP properties and where it came
     * from as {@code amqp-…} pseudo-headers, so the letter shows what arrived.
     */
    public static Map<String, String> rawHeaders(Envelope envelope, AMQP.BasicProperties properties) {
        Map<String, String> raw = new TreeMap<>(stringHeaders(properties));
        putIfPresent(raw, "exchange", envelope.getExchange());
        putIfPresent(raw, "routing-key", envelope.getRoutingKey());
        putIfPresent(raw, "content-type", properties.getContentType());
        putIfPresent(raw, "content-encoding", properties.getContentEncoding());
        putIfPresent(raw, "message-id", properties.getMessageId());
        putIfPresent(raw, "type", properties.getType());
        putIfPresent(raw, "correlation-id", properties.getCorrelationId());
        putIfPresent(raw, "app-id", properties.getAppId());
        if (properties.getTimestamp() != null) raw.put(AMQP_PREFIX + "timestamp", properties.getTimestamp().toInstant().toString());
        return raw;
    }

    private static void putIfPresent(Map<String, String> headers, String name, String value) {
        if (value != null && !value.isEmpty()) headers.put(AMQP_PREFIX + name, value);
    }

    /**
     * The body as UTF-8 text.
     *
     * @throws InvalidMessageException if it is not UTF-8
     */
    public static String utf8(byte[] body) {
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return text.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMessageException("the body is not UTF-8 text", e);
        }
    }

    /** The body as text for a dead letter, with U+FFFD for bytes that are not UTF-8. */
    public static String lenientText(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The most telling message of an amqp-client failure: the innermost cause that has one (the broker's reply). */
    public static String describe(Throwable error) {
        String message = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
        }
        return message == null ? error.getClass().getSimpleName() : message;
    }
}
