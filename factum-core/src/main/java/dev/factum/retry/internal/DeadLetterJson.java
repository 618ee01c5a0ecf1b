// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.retry.Attempt;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the SQL dead-letter stores keep a letter's headers (a JSON object of strings) and its attempts (a JSON array of
 * {@code {"number":1,"at":"2030-01-01T00:00:00Z","error":"…"}}, oldest first). The time is ISO-8601 text with all its
 * digits, so attempts round-trip exactly. Reading refuses anything else with an {@link IllegalArgumentException}
 * naming what is wrong (a row edited by hand).
 */
public final class DeadLetterJson {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final TypeReference<TreeMap<String, String>> HEADERS = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> ATTEMPTS = new TypeReference<>() {
    };

    private DeadLetterJson() {
    }

    public static String headers(Map<String, String> headers) {
        return write(headers);
    }

    public static Map<String, String> headers(String json) {
        try {
            return MAPPER.readValue(json, HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("dead letter headers are not a JSON object of strings: "
                    + e.getOriginalMessage(), e);
        }
    }

    public static String attempts(List<Attempt> attempts) {
        List<Map<String, Object>> array = new ArrayList<>(attempts.size());
        for (Attempt attempt : attempts) array.add(attempt(attempt));
        return write(array);
    }

    /** One attempt as a JSON object, for stores that append it to the stored array in place. */
    public static String attemptJson(Attempt attempt) {
        return write(attempt(attempt));
    }

    public static List<Attempt> attempts(String json) {
        List<Map<String, Object>> array;
        try {
            array = MAPPER.readValue(json, ATTEMPTS);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("dead letter attempts are not a JSON array of objects: "
                    + e.getOriginalMessage(), e);
        }
        List<Attempt> attempts = new ArrayList<>(array.size());
        for (Map<String, Object> object : array) {
            if (!(object.get("number") instanceof Integer number) || !(object.get("at") instanceof String at)
                    || !(object.get("error") instanceof String error)) {
                throw new IllegalArgumentException("dead letter attempt " + object
                        + " lacks an integer number, a text at or a text error");
            }
            try {
                attempts.add(new Attempt(number, Instant.parse(at), error));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("dead letter attempt time is not an ISO-8601 instant: " + at, e);
            }
        }
        return attempts;
    }

    private static Map<String, Object> attempt(Attempt attempt) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("number", attempt.number());
        object.put("at", attempt.at().toString());
        object.put("error", attempt.error());
        return object;
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write dead letter JSON", e); // maps of strings always serialize
        }
    }
}
