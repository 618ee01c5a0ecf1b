// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaAction;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SagaFixtureTest {
    record Order(String id, int paid) {}

    private static SagaDefinition<Order> saga(SagaAction<Order> charge) {
        return SagaDefinition.builder("OrderSaga", Order.class)
                .step("reserve").invoke((o, c) -> SagaReply.done(o)).compensate((o, c) -> {})
                .step("charge").invoke(charge).compensate((o, c) -> {})
                    .timeout(Duration.ofSeconds(10)).retry(RetryPolicy.noRetry())
                .step("ship").invoke((o, c) -> SagaReply.done(o))
                .compensationRetry(RetryPolicy.noRetry())
                .build();
    }

    @Test
    void aSagaThatSucceedsRunsEveryStep() {
        try (var fixture = SagaFixture.of(saga((o, c) -> SagaReply.done(new Order(o.id(), 5))))) {
            fixture.when("o1", new Order("o1", 0))
                    .then(SagaStatus.COMPLETED)
                    .thenStepsStarted("reserve", "charge", "ship")
                    .thenCompensated()
                    .thenState(state -> assertThat(state.data().paid()).isEqualTo(5));
        }
    }

    @Test
    void aHangingStepTimesOutWhenVirtualTimePassesItsDeadline() {
        try (var fixture = SagaFixture.of(saga(SagaFixture.hangs()))) {
            fixture.when("o1", new Order("o1", 0))
                    .then(SagaStatus.RUNNING)
                    .whenTimePasses(Duration.ofSeconds(9))
                    .then(SagaStatus.RUNNING)
                    .whenTimePasses(Duration.ofSeconds(1))
                    .then(SagaStatus.COMPENSATED)
                    .thenStepsStarted("reserve", "charge")
                    .thenCompensated("charge", "reserve") // the charge timed out: it may have happened, so it is undone too
                    .thenTimeline("SagaStarted", "StepStarted", "StepSucceeded", "StepStarted", "StepTimedOut",
                            "Compensating", "CompensationStarted", "CompensationSucceeded", "CompensationStarted",
                            "CompensationSucceeded", "SagaCompensated");
        }
    }

    @Test
    void aFailingCompensationIsParkedWithADeadLetterAndAnOperatorRetryFinishesIt() {
        AtomicInteger cancels = new AtomicInteger();
        SagaDefinition<Order> definition = SagaDefinition.builder("OrderSaga", Order.class)
                .step("reserve").invoke((o, c) -> SagaReply.done(o)).compensate((o, c) -> {
                    if (cancels.incrementAndGet() == 1) throw new IllegalStateException("stock service down");
                })
                .step("charge").invoke((o, c) -> SagaReply.refused("PAYMENT_DECLINED"))
                .compensationRetry(RetryPolicy.noRetry())
                .build();
        try (var fixture = SagaFixture.of(definition)) {
            fixture.when("o1", new Order("o1", 0))
                    .then(SagaStatus.NEEDS_ATTENTION)
                    .thenDeadLetters(letters -> assertThat(letters).singleElement()
                            .satisfies(l -> assertThat(l.reason()).contains("stock service down")))
                    .whenOperatorRetries("stock service is back")
                    .then(SagaStatus.COMPENSATED)
                    .thenCompensated("reserve")
                    .thenState(state -> assertThat(state.failure()).hasValue("PAYMENT_DECLINED"));
        }
    }

    @Test
    void aWrongExpectationFails() {
        try (var fixture = SagaFixture.of(saga((o, c) -> SagaReply.done(o)))) {
            fixture.when("o1", new Order("o1", 0));
            assertThatThrownBy(() -> fixture.then(SagaStatus.COMPENSATED)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("COMPLETED");
            assertThatThrownBy(() -> fixture.thenStepsStarted("reserve")).isInstanceOf(AssertionError.class);
        }
    }
}
