// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** SagaFixture with a remote participant: a step that sends its request and answers awaiting. */
class SagaFixtureRemoteTest {
    record Order(String id, int paid) {}

    private final List<String> requests = new CopyOnWriteArrayList<>();

    private SagaDefinition<Order> saga() {
        return SagaDefinition.builder("OrderSaga", Order.class)
                .step("reserve").invoke((o, c) -> SagaReply.done(o)).compensate((o, c) -> {})
                .step("charge").invoke((o, c) -> {
                    requests.add(c.idempotencyKey() + "#" + c.attempt()); // stands for the request sent to the payment service
                    return SagaReply.awaiting();
                }).timeout(Duration.ofSeconds(10)).retry(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .step("ship").invoke((o, c) -> SagaReply.done(o))
                .compensationRetry(RetryPolicy.noRetry())
                .build();
    }

    @Test
    void aReplyDeliveredLaterCompletesTheSaga() {
        try (var fixture = SagaFixture.of(saga())) {
            fixture.when("o1", new Order("o1", 0))
                    .then(SagaStatus.RUNNING)
                    .thenAwaiting("charge", 1)
                    .whenReplied("charge", SagaReply.done(new Order("o1", 5)))
                    .then(SagaStatus.COMPLETED)
                    .thenTimeline("SagaStarted", "StepStarted", "StepSucceeded", "StepStarted", "StepAwaiting",
                            "StepSucceeded", "StepStarted", "StepSucceeded", "SagaCompleted")
                    .thenState(state -> assertThat(state.data().paid()).isEqualTo(5));
        }
        assertThat(requests).containsExactly("o1:charge#1");
    }

    @Test
    void aTimedOutAttemptIsRetriedAndItsLateReplyIgnored() {
        try (var fixture = SagaFixture.of(saga())) {
            fixture.when("o1", new Order("o1", 0))
                    .whenTimePasses(Duration.ofSeconds(10))
                    .whenTimePasses(Duration.ofSeconds(1))
                    .thenAwaiting("charge", 2)
                    .whenRepliedTo("charge", 1, SagaReply.refused("PAYMENT_DECLINED"), false)
                    .then(SagaStatus.RUNNING)
                    .whenReplied("charge", SagaReply.refused("PAYMENT_DECLINED"))
                    .then(SagaStatus.COMPENSATED)
                    .thenCompensated("reserve")
                    .thenState(state -> assertThat(state.failure()).hasValue("PAYMENT_DECLINED"));
        }
        assertThat(requests).containsExactly("o1:charge#1", "o1:charge#2");
    }

    @Test
    void replyingToAStepThatDoesNotWaitFailsTheTest() {
        try (var fixture = SagaFixture.of(saga())) {
            fixture.when("o1", new Order("o1", 0));
            assertThatThrownBy(() -> fixture.whenReplied("ship", SagaReply.done(new Order("o1", 0))))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("no open attempt of step 'ship'");
        }
    }
}
