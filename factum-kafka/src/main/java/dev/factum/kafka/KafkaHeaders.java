// SPDX-License-Identifier: Apache-2.0
package dev.factum.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka record headers Factum writes besides the envelope. An event record carries the envelope of
 * {@link dev.factum.transport.MessageHeaders} (UTF-8 values), the record key is the stream id and the value the JSON
 * body. A dead-letter record carries the original record's headers, key and value unchanged, plus the
 * {@code factum-dlt-*} headers below. A control record ({@value #CONTROL}) is no message: consumers skip it.
 *
 * @since 0.1
 */
public final class KafkaHeaders {
    /**
     * Marks a control record, which carries no message: {@value #WARM_UP} is the one record
     * {@link KafkaTopics} writes to each partition of a topic it created (see KAFKA-15591 in the module README).
     * Factum consumers skip control records; other consumers of Factum topics should too.
     */
    public static final String CONTROL = "factum-control";
    /** The value of {@value #CONTROL} on a new partition's first record. */
    public static final String WARM_UP = "warm-up";

    /** Dead-letter record: the consumer (group) that gave up. */
    public static final String DLT_CONSUMER = "factum-dlt-consumer";
    /** Dead-letter record: the final error, one line ({@code IllegalStateException: stock service down}). */
    public static final String DLT_REASON = "factum-dlt-reason";
    /** Dead-letter record: how many attempts were made. */
    public static final String DLT_ATTEMPTS = "factum-dlt-attempts";
    /** Dead-letter record: attempt {@code n} as {@code <ISO-8601 instant> <error>}, one header per attempt. */
    public static final String DLT_ATTEMPT_PREFIX = "factum-dlt-attempt.";
    /** Dead-letter record: when it became a dead letter (ISO-8601). */
    public static final String DLT_AT = "factum-dlt-at";
    /** Dead-letter record: the id of the same letter in the {@link dev.factum.retry.DeadLetterStore}. */
    public static final String DLT_LETTER_ID = "factum-dlt-letter-id";
    /** Dead-letter record and stored letter: the topic the message was read from. */
    public static final String ORIGINAL_TOPIC = "factum-kafka-topic";
    /** Dead-letter record and stored letter: its partition. */
    public static final String ORIGINAL_PARTITION = "factum-kafka-partition";
    /** Dead-letter record and stored letter: its offset. */
    public static final String ORIGINAL_OFFSET = "factum-kafka-offset";

    private KafkaHeaders() {
    }

    /** Record headers from string headers (UTF-8 values). */
    public static Headers toKafka(Map<String, String> headers) {
        RecordHeaders kafka = new RecordHeaders();
        headers.forEach((name, value) -> kafka.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return kafka;
    }

    /**
     * String headers from record headers: values read as UTF-8 (malformed bytes replaced), a header without a value
     * left out, and of a repeated header the last one kept (as Kafka's {@code lastHeader} does).
     */
    public static Map<String, String> fromKafka(Headers headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Header header : headers) {
            if (header.value() != null) map.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return map;
    }
}
