// SPDX-License-Identifier: Apache-2.0
package dev.factum.rabbitmq;

import dev.factum.retry.Attempt;
import dev.factum.transport.InvalidMessageException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RabbitMqHeadersTest {

    @Test
    void the_attempt_history_travels_in_headers_and_reads_back_the_same() {
        List<Attempt> attempts = List.of(new Attempt(1, Instant.parse("2026-11-26T10:00:00.120Z"), "IllegalStateException: down"),
                new Attempt(2, Instant.parse("2026-11-26T10:00:01.250Z"), "IllegalStateException: still down"));
        Map<String, Object> headers = new HashMap<>();

        RabbitMqHeaders.putAttempts(headers, attempts);

        assertThat(headers).containsEntry("x-factum-attempts", 2)
                .containsEntry("x-factum-attempt.1", "2026-11-26T10:00:00.120Z IllegalStateException: down");
        assertThat(RabbitMqHeaders.attempts(headers)).isEqualTo(attempts);
    }

    @Test
    void a_first_delivery_has_no_history() {
        assertThat(RabbitMqHeaders.attempts(null)).isEmpty();
        assertThat(RabbitMqHeaders.attempts(Map.of("factum-type", "OrderCreated"))).isEmpty();
    }

    @Test
    void long_errors_are_cut_so_the_headers_fit_a_frame() {
        Map<String, Object> headers = new HashMap<>();
        RabbitMqHeaders.putAttempts(headers, List.of(new Attempt(1, Instant.EPOCH, "x".repeat(2_000))));

        assertThat(RabbitMqHeaders.attempts(headers).get(0).error()).hasSize(500 + " (cut)".length()).endsWith(" (cut)");
    }

    @Test
    void a_malformed_history_names_the_header() {
        assertThatThrownBy(() -> RabbitMqHeaders.attempts(Map.of("x-factum-attempts", 2,
                "x-factum-attempt.1", "2026-11-26T10:00:00Z boom")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessage("header x-factum-attempt.2 is missing (x-factum-attempts is 2)");
        assertThatThrownBy(() -> RabbitMqHeaders.attempts(Map.of("x-factum-attempts", 1, "x-factum-attempt.1", "yesterday boom")))
                .hasMessage("header x-factum-attempt.1 'yesterday boom' is not '<ISO-8601 instant> <error>'");
        assertThatThrownBy(() -> RabbitMqHeaders.attempts(Map.of("x-factum-attempts", -1)))
                .hasMessage("header x-factum-attempts '-1' is not a number of attempts");
    }
}
