// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.factum.retry.InMemoryDeadLetterStore;
import dev.factum.retry.ManualClock;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaEvent.StepStarted;
import dev.factum.store.InMemoryEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Crashes, restarts and competing engines on one store. */
class SagaRecoveryTest {
    record Order(String id, int charged) {}

    private static final Duration IDLE = Duration.ofSeconds(10);

    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryDeadLetterStore deadLetters = new InMemoryDeadLetterStore();
    private final ManualClock clock = new ManualClock();
    private final List<SagaEngine<Order>> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(SagaEngine::close);
        store.close();
    }

    private SagaEngine<Order> engine(SagaDefinition<Order> definition) {
        SagaEngine<Order> engine = SagaEngine.builder(store, definition).deadLetters(deadLetters).clock(clock).build();
        engines.add(engine);
        return engine;
    }

    /** A participant that dedupes by the idempotency key: it charges once per key however often it is called. */
    static final class Payments {
        final Map<String, Integer> charges = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        SagaReply<Order> charge(Order order, StepContext context) {
            calls.add(context.idempotencyKey() + "#" + context.attempt());
            charges.putIfAbsent(context.idempotencyKey(), 100);
            return SagaReply.done(new Order(order.id(), charges.get(context.idempotencyKey())));
        }
    }

    @Test
    void aNewEngineOnTheSameStoreFinishesASagaStoppedBetweenSteps() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        SagaAction<Order> counted = (order, context) -> {
            runs.computeIfAbsent(context.step(), s -> new AtomicInteger()).incrementAndGet();
            return SagaReply.done(order);
        };
        SagaDefinition<Order> definition = SagaDefinition.builder("OrderSaga", Order.class)
                .step("reserve").invoke(counted).step("charge").invoke(counted).step("ship").invoke(counted).build();
        SagaEngine<Order> first = engine(definition);
        String id = first.start(new Order("o1", 0));
        first.runDue();
        await().atMost(IDLE).until(() -> first.find(id).orElseThrow().stepsDone() == 1 && !first.isRunningAttempt(id));
        first.close();

        SagaEngine<Order> second = engine(definition);
        assertThat(second.awaitIdle(IDLE)).isTrue();

        assertThat(second.find(id).orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(runs).containsOnlyKeys("reserve", "charge", "ship");
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    }

    @Test
    void anAttemptLostInACrashTimesOutAfterTheRestartAndRunsAgainWithTheSameKey() throws Exception {
        Payments payments = new Payments();
        CountDownLatch crashed = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        SagaAction<Order> charge = (order, context) -> {
            SagaReply<Order> reply = payments.charge(order, context);
            if (calls.incrementAndGet() == 1) {
                crashed.countDown();
                Thread.sleep(Long.MAX_VALUE); // the process dies before it records the answer
            }
            return reply;
        };
        SagaDefinition<Order> definition = SagaDefinition.builder("OrderSaga", Order.class)
                .step("charge").invoke(charge).timeout(Duration.ofSeconds(30))
                .retry(RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .build();
        SagaEngine<Order> first = engine(definition);
        String id = first.start("o1", new Order("o1", 0));
        first.runDue();
        crashed.await();
        first.close();

        SagaEngine<Order> second = engine(definition);
        assertThat(second.awaitIdle(IDLE)).isTrue();
        assertThat(second.find(id).orElseThrow().open()).as("the lost attempt is open until its deadline").isPresent();
        clock.advance(Duration.ofSeconds(30));
        assertThat(second.awaitIdle(IDLE)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(second.awaitIdle(IDLE)).isTrue();

        SagaState<Order> state = second.find(id).orElseThrow();
        assertThat(state.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(state.data().charged()).isEqualTo(100);
        assertThat(payments.calls).containsExactly("o1:charge#1", "o1:charge#2");
        assertThat(payments.charges).as("charged once: the participant deduped by the key").hasSize(1);
        assertThat(second.timeline(id)).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("SagaStarted", "StepStarted", "StepTimedOut", "StepStarted", "StepSucceeded", "SagaCompleted");
    }

    @Test
    void twoEnginesOnOneStoreNeverBothRunAStepOfTheSameSaga() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        SagaAction<Order> counted = (order, context) -> {
            runs.computeIfAbsent(context.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
            Thread.yield();
            return SagaReply.done(order);
        };
        SagaDefinition<Order> definition = SagaDefinition.builder("OrderSaga", Order.class)
                .step("reserve").invoke(counted).step("charge").invoke(counted).step("ship").invoke(counted).build();
        SagaEngine<Order> one = engine(definition);
        SagaEngine<Order> two = engine(definition);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) ids.add((i % 2 == 0 ? one : two).start(new Order("o" + i, 0)));

        try (var threads = Executors.newFixedThreadPool(2)) {
            Future<Boolean> a = threads.submit(() -> one.awaitIdle(IDLE));
            Future<Boolean> b = threads.submit(() -> two.awaitIdle(IDLE));
            assertThat(a.get()).isTrue();
            assertThat(b.get()).isTrue();
        }
        assertThat(one.awaitIdle(IDLE)).isTrue();

        for (String id : ids) {
            assertThat(one.find(id).orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
            assertThat(one.timeline(id).stream().filter(e -> e instanceof StepStarted)).hasSize(3);
        }
        assertThat(runs).hasSize(30 * 3);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).as("each step ran once").hasValue(1));
    }
}
