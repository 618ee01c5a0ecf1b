// SPDX-License-Identifier: Apache-2.0
package dev.factum.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.RetryPolicy;
import dev.factum.saga.SagaDefinition;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaEvent;
import dev.factum.saga.SagaReply;
import dev.factum.saga.SagaStatus;
import dev.factum.saga.StepContext;
import dev.factum.store.StoreLimits;
import dev.factum.test.VirtualClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sagas on PostgreSQL: a reopened store resumes them, and two store instances on one schema share them safely. */
class PostgresSagaTest {
    record Order(String id) {}

    private static final Duration IDLE = Duration.ofSeconds(30);

    private final PostgresStoreFixture fixture = new PostgresStoreFixture();
    private final VirtualClock clock = new VirtualClock();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    private void count(StepContext context) {
        runs.computeIfAbsent(context.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
    }

    private SagaDefinition<Order> definition() {
        return SagaDefinition.builder("OrderSaga", Order.class)
                .step("reserve").invoke((order, context) -> {
                    count(context);
                    return SagaReply.done(order);
                }).compensate((o, c) -> {
                    throw new IllegalStateException("stock service down");
                })
                .step("charge").invoke((order, context) -> {
                    count(context);
                    return order.id().startsWith("declined") ? SagaReply.refused("PAYMENT_DECLINED") : SagaReply.done(order);
                })
                .step("ship").invoke((order, context) -> {
                    count(context);
                    return SagaReply.done(order);
                })
                .compensationRetry(RetryPolicy.noRetry())
                .build();
    }

    private SagaEngine<Order> engine(PostgresEventStore store) {
        return SagaEngine.builder(store, definition()).deadLetters(store.deadLetterStore()).clock(clock).build();
    }

    @Test
    void sagasResumeFromTheSchemaAfterTheStoreAndEngineRestart() throws Exception {
        PostgresEventStore before = fixture.open(StoreLimits.DEFAULT);
        SagaEngine<Order> first = engine(before);
        first.start("o1", new Order("o1"));
        first.start("declined-1", new Order("declined-1"));
        first.runDue();
        await().atMost(IDLE).until(() -> first.find("o1").orElseThrow().stepsDone() == 1
                && first.find("declined-1").orElseThrow().stepsDone() == 1
                && !first.isRunningAttempt("o1") && !first.isRunningAttempt("declined-1"));
        first.close();
        before.close();

        PostgresEventStore after = fixture.open(StoreLimits.DEFAULT);
        try (SagaEngine<Order> second = engine(after)) {
            assertThat(second.awaitIdle(IDLE)).isTrue();

            assertThat(second.find("o1").orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
            var declined = second.find("declined-1").orElseThrow();
            assertThat(declined.status()).isEqualTo(SagaStatus.NEEDS_ATTENTION);
            assertThat(declined.failure()).hasValue("PAYMENT_DECLINED");
            DeadLetter letter = after.deadLetterStore().find(declined.deadLetter().orElseThrow()).orElseThrow();
            assertThat(letter.consumer()).isEqualTo("saga:OrderSaga");
            assertThat(letter.state()).isEqualTo(DeadLetterState.PARKED);
            assertThat(letter.reason()).contains("stock service down");
            try (Connection c = fixture.rawConnection(); PreparedStatement row = c.prepareStatement(
                    "SELECT consumer, state FROM \"" + fixture.schema() + "\".dead_letters WHERE id = ?::uuid")) {
                row.setString(1, String.valueOf(declined.deadLetter().orElseThrow()));
                try (ResultSet rs = row.executeQuery()) {
                    assertThat(rs.next()).as("dead letter row in the schema's dead_letters table").isTrue();
                    assertThat(rs.getString("consumer")).isEqualTo("saga:OrderSaga");
                    assertThat(rs.getString("state")).isEqualTo("PARKED");
                }
            }
            assertThat(runs.keySet()).containsExactlyInAnyOrder("o1:reserve", "o1:charge", "o1:ship",
                    "declined-1:reserve", "declined-1:charge");
            assertThat(runs.values()).allSatisfy(count -> assertThat(count).as("each step once").hasValue(1));
        }
    }

    @Test
    void twoStoreInstancesOnOneSchemaNeverBothRunAStepOfTheSameSaga() throws Exception {
        PostgresEventStore storeOne = fixture.open(StoreLimits.DEFAULT);
        PostgresEventStore storeTwo = fixture.open(StoreLimits.DEFAULT);
        try (SagaEngine<Order> one = engine(storeOne); SagaEngine<Order> two = engine(storeTwo)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) ids.add((i % 2 == 0 ? one : two).start("o" + i, new Order("o" + i)));
            try (var threads = Executors.newFixedThreadPool(2)) {
                Future<Boolean> a = threads.submit(() -> one.awaitIdle(IDLE));
                Future<Boolean> b = threads.submit(() -> two.awaitIdle(IDLE));
                assertThat(a.get()).isTrue();
                assertThat(b.get()).isTrue();
            }
            assertThat(one.awaitIdle(IDLE)).isTrue();
            for (String id : ids) {
                assertThat(one.find(id).orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
                assertThat(one.timeline(id).stream().filter(e -> e instanceof SagaEvent.StepStarted)).hasSize(3);
            }
            assertThat(runs).hasSize(20 * 3);
            assertThat(runs.values()).allSatisfy(count -> assertThat(count).as("each step once").hasValue(1));
        }
    }
}
