// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SagaDefinitionTest {
    record Data(int n) {}

    private static final SagaAction<Data> NOOP = (data, context) -> SagaReply.done(data);

    @Test
    void readsTopDownWithDefaults() {
        SagaDefinition<Data> definition = SagaDefinition.builder("Order", Data.class)
                .step("reserve").invoke(NOOP).compensate((d, c) -> {}).timeout(Duration.ofSeconds(3))
                .step("notify").invoke(NOOP)
                .build();
        assertThat(definition.steps()).extracting(SagaStep::name).containsExactly("reserve", "notify");
        assertThat(definition.step("reserve").timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(definition.step("notify").timeout()).isEqualTo(SagaDefinition.DEFAULT_TIMEOUT);
        assertThat(definition.step("notify").compensation()).isEmpty();
    }

    @Test
    void badDefinitionsAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> SagaDefinition.builder("Order-Saga", Data.class).step("a").invoke(NOOP).build())
                .hasMessageContaining("saga name 'Order-Saga' is not a valid stream category");
        assertThatThrownBy(() -> SagaDefinition.builder("Order", Data.class).build()).hasMessageContaining("has no steps");
        assertThatThrownBy(() -> SagaDefinition.builder("Order", Data.class).step("a").invoke(NOOP).step("a").invoke(NOOP).build())
                .hasMessageContaining("two steps named 'a'");
        assertThatThrownBy(() -> SagaDefinition.builder("Order", Data.class).invoke(NOOP))
                .hasMessageContaining("invoke(...) needs a step(...) before it");
        assertThatThrownBy(() -> SagaDefinition.builder("Order", Data.class).step("a").build())
                .hasMessageContaining("step 'a' has no action");
        assertThatThrownBy(() -> SagaDefinition.builder("Order", Data.class).step("a").invoke(NOOP).timeout(Duration.ZERO).build())
                .hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> SagaReply.refused(" ")).hasMessageContaining("a refusal needs a reason");
    }
}
