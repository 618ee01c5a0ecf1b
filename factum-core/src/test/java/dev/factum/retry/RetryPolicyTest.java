// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import dev.factum.transport.InvalidMessageException;
import dev.factum.transport.RejectedMessageException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetryPolicyTest {

    @Nested
    class delay_after {
        @Test
        void the_default_waits_1_2_4_and_8_seconds_then_gives_up_after_the_fifth_attempt() {
            RetryPolicy policy = RetryPolicy.DEFAULT;

            assertThat(policy.delayAfter(1)).contains(ofSeconds(1));
            assertThat(policy.delayAfter(2)).contains(ofSeconds(2));
            assertThat(policy.delayAfter(3)).contains(ofSeconds(4));
            assertThat(policy.delayAfter(4)).contains(ofSeconds(8));
            assertThat(policy.delayAfter(5)).isEmpty();
            assertThat(policy.delayAfter(6)).isEmpty();
        }

        @Test
        void waits_are_capped_at_max_delay() {
            RetryPolicy policy = RetryPolicy.exponential(6, ofSeconds(1), ofSeconds(5));

            assertThat(List.of(1, 2, 3, 4, 5)).map(n -> policy.delayAfter(n).orElseThrow())
                    .containsExactly(ofSeconds(1), ofSeconds(2), ofSeconds(4), ofSeconds(5), ofSeconds(5));
        }

        @Test
        void a_large_attempt_count_stays_at_the_cap_instead_of_overflowing() {
            RetryPolicy policy = RetryPolicy.exponential(100, ofSeconds(1), Duration.ofMinutes(5));

            assertThat(policy.delayAfter(99)).contains(Duration.ofMinutes(5));
        }

        @Test
        void a_multiplier_other_than_two_grows_by_that_factor() {
            RetryPolicy policy = new RetryPolicy(4, ofMillis(500), 3.0, ofSeconds(10));

            assertThat(List.of(1, 2, 3)).map(n -> policy.delayAfter(n).orElseThrow())
                    .containsExactly(ofMillis(500), ofMillis(1_500), ofMillis(4_500));
        }

        @Test
        void no_retry_gives_up_after_the_first_attempt() {
            assertThat(RetryPolicy.noRetry().delayAfter(1)).isEmpty();
        }

        @Test
        void counting_from_zero_is_refused() {
            assertThatThrownBy(() -> RetryPolicy.DEFAULT.delayAfter(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("failedAttempts must be >= 1, was 0");
        }
    }

    @Nested
    class delays {
        @Test
        void lists_each_wait_of_the_default_once_shortest_first() {
            assertThat(RetryPolicy.DEFAULT.delays())
                    .containsExactly(ofSeconds(1), ofSeconds(2), ofSeconds(4), ofSeconds(8));
        }

        @Test
        void lists_the_cap_once_however_often_it_is_used() {
            RetryPolicy policy = RetryPolicy.exponential(8, ofSeconds(1), ofSeconds(5));

            assertThat(policy.delays()).containsExactly(ofSeconds(1), ofSeconds(2), ofSeconds(4), ofSeconds(5));
        }

        @Test
        void a_constant_wait_is_listed_once() {
            assertThat(new RetryPolicy(4, ofSeconds(3), 1.0, ofSeconds(3)).delays()).containsExactly(ofSeconds(3));
        }

        @Test
        void no_retry_has_no_waits() {
            assertThat(RetryPolicy.noRetry().delays()).isEmpty();
        }
    }

    @Nested
    class construction {
        @Test
        void max_attempts_must_be_between_1_and_100() {
            assertThatThrownBy(() -> RetryPolicy.exponential(0, ofSeconds(1), ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be 1-100, was 0");
            assertThatThrownBy(() -> RetryPolicy.exponential(101, ofSeconds(1), ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be 1-100, was 101");
        }

        @Test
        void a_negative_initial_delay_is_refused() {
            assertThatThrownBy(() -> RetryPolicy.exponential(3, ofSeconds(-1), ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("initialDelay must not be negative");
        }

        @Test
        void a_max_delay_shorter_than_the_initial_delay_is_refused() {
            assertThatThrownBy(() -> RetryPolicy.exponential(3, ofSeconds(10), ofSeconds(5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxDelay PT5S is shorter than initialDelay PT10S");
        }

        @Test
        void a_multiplier_below_one_or_not_finite_is_refused() {
            for (double multiplier : new double[]{0.5, -2, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThatThrownBy(() -> new RetryPolicy(3, ofSeconds(1), multiplier, ofSeconds(5)))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("multiplier must be a finite number >= 1, was " + multiplier);
            }
        }

        @Test
        void missing_delays_are_refused_by_name() {
            assertThatThrownBy(() -> new RetryPolicy(3, null, 2, ofSeconds(5))).hasMessage("initialDelay");
            assertThatThrownBy(() -> new RetryPolicy(3, ofSeconds(1), 2, null)).hasMessage("maxDelay");
        }
    }

    @Nested
    class retryable {
        @Test
        void a_rejected_or_unreadable_message_is_not_retried_anything_else_is() {
            assertThat(RetryPolicy.retryable(new RejectedMessageException("unknown type"))).isFalse();
            assertThat(RetryPolicy.retryable(new InvalidMessageException("header x is missing"))).isFalse();
            assertThat(RetryPolicy.retryable(new IllegalStateException("stock service down"))).isTrue();
        }
    }
}
