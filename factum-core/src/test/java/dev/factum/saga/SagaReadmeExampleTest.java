// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.RetryPolicy;
import dev.factum.store.EventStore;
import dev.factum.store.InMemoryEventStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The README's "Sagas" example, as written there. */
class SagaReadmeExampleTest {
    record Order(String id, String sku, boolean paid) {}

    @Test
    void readmeExample() {
        List<String> released = new CopyOnWriteArrayList<>();
        InMemoryDeadLetterStore deadLetterStore = new InMemoryDeadLetterStore();
        try (EventStore store = new InMemoryEventStore()) {
            // --- README ---
            SagaDefinition<Order> orderSaga = SagaDefinition.builder("OrderSaga", Order.class)
                    .step("reserve-stock").invoke((order, step) -> SagaReply.done(order))
                        .compensate((order, step) -> released.add(order.id()))
                    .step("charge-payment").invoke((order, step) -> order.sku().equals("gold")
                            ? SagaReply.refused("PAYMENT_DECLINED")                        // a business "no": compensate
                            : SagaReply.done(new Order(order.id(), order.sku(), true)))
                        .timeout(Duration.ofSeconds(10))
                        .retry(RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(8)))
                    .step("send-confirmation").invoke((order, step) -> SagaReply.done(order))   // nothing to compensate
                    .build();

            try (SagaEngine<Order> engine = SagaEngine.builder(store, orderSaga)
                    .deadLetters(deadLetterStore).clock(Clock.systemUTC()).build().runInBackground()) {
                engine.start("o-1", new Order("o-1", "tea", false));
                engine.start("o-2", new Order("o-2", "gold", false));
                await().until(() -> engine.find("o-2").orElseThrow().status() == SagaStatus.COMPENSATED);
                assertThat(engine.find("o-2").orElseThrow().failure()).hasValue("PAYMENT_DECLINED");
                assertThat(released).containsExactly("o-2");
                // --- end README ---
                await().until(() -> engine.find("o-1").orElseThrow().status() == SagaStatus.COMPLETED);
                assertThat(engine.find("o-1").orElseThrow().data().paid()).isTrue();
            }
        }
    }
}
