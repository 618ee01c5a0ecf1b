// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import dev.factum.rabbitmq.internal.AmqpMessages;
import dev.factum.retry.Attempt;
import dev.factum.transport.InvalidMessageException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The AMQP headers {@link RabbitMqTransport} adds to retry and dead-letter copies, besides the envelope
 * ({@link dev.factum.transport.MessageHeaders}). The attempt history travels with the message, so a consumer process
 * that dies between two attempts loses nothing of it:
 *
 * <ul>
 *   <li>{@value #ATTEMPTS}: how many attempts failed so far (absent on a first delivery);</li>
 *   <li>{@value #ATTEMPT_PREFIX}{@code n}: attempt {@code n} as {@code <ISO-8601 instant> <error>}, e.g.
 *       {@code 2026-11-26T10:15:30.120Z IllegalStateException: stock service down};</li>
 *   <li>{@value #ERROR}: the latest error; {@value #CONSUMER}: the consumer that failed;</li>
 *   <li>on a retry copy, {@value #RETRY_DELAY_MS} and {@value #RETRY_QUEUE}: the wait chosen and its delay queue;</li>
 *   <li>on a dead-letter queue copy, {@value #STACK} (the error's shortened stack), {@value #DEAD_LETTER_ID} (the id
 *       of the {@link dev.factum.retry.DeadLetter} in the store) and {@value #DEAD_AT}.</li>
 * </ul>
 *
 * @since 0.1
 */
public final class RabbitMqHeaders {
    public static final String ATTEMPTS = "x-factum-attempts";
    public static final String ATTEMPT_PREFIX = "x-factum-attempt.";
    public static final String ERROR = "x-factum-error";
    public static final String STACK = "x-factum-stack";
    public static final String CONSUMER = "x-factum-consumer";
    public static final String RETRY_DELAY_MS = "x-factum-retry-delay-ms";
    public static final String RETRY_QUEUE = "x-factum-retry-queue";
    public static final String DEAD_LETTER_ID = "x-factum-dead-letter-id";
    public static final String DEAD_AT = "x-factum-dead-at";

    /** Errors longer than this are cut in headers (a header block must fit one AMQP frame). */
    static final int MAX_ERROR_CHARS = 500;

    private RabbitMqHeaders() {
    }

    /**
     * The failed attempts recorded in {@code headers}, oldest first; empty for a first delivery.
     *
     * @throws InvalidMessageException naming the header if the history is malformed
     */
    public static List<Attempt> attempts(Map<String, Object> headers) {
        if (headers == null || headers.get(ATTEMPTS) == null) return List.of();
        String countText = AmqpMessages.text(headers.get(ATTEMPTS));
        int count;
        try {
            count = Integer.parseInt(String.valueOf(countText).strip());
        } catch (NumberFormatException e) {
            throw new InvalidMessageException("header " + ATTEMPTS + " '" + countText + "' is not a number of attempts");
        }
        if (count < 0 || count > 1_000) {
            throw new InvalidMessageException("header " + ATTEMPTS + " '" + countText + "' is not a number of attempts");
        }
        List<Attempt> attempts = new ArrayList<>(count);
        for (int number = 1; number <= count; number++) {
            String name = ATTEMPT_PREFIX + number;
            String text = AmqpMessages.text(headers.get(name));
            if (text == null) throw new InvalidMessageException("header " + name + " is missing (" + ATTEMPTS + " is " + count + ")");
            int space = text.indexOf(' ');
            try {
                Instant at = Instant.parse(space < 0 ? text : text.substring(0, space));
                attempts.add(new Attempt(number, at, space < 0 ? "" : text.substring(space + 1)));
            } catch (DateTimeParseException e) {
                throw new InvalidMessageException("header " + name + " '" + text + "' is not '<ISO-8601 instant> <error>'", e);
            }
        }
        return List.copyOf(attempts);
    }

    /** Writes {@code attempts} into {@code headers} (count and one header per attempt). */
    static void putAttempts(Map<String, Object> headers, List<Attempt> attempts) {
        headers.put(ATTEMPTS, attempts.size());
        for (Attempt attempt : attempts) {
            headers.put(ATTEMPT_PREFIX + attempt.number(), attempt.at() + " " + cut(attempt.error()));
        }
    }

    static String cut(String error) {
        return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS) + " (cut)";
    }
}
