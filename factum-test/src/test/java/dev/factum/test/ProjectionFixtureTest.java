// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.event.Metadata;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.subscription.EventBatch;
import dev.factum.subscription.InMemoryReadModel;
import dev.factum.subscription.Projection;
import dev.factum.subscription.ProjectionContext;
import dev.factum.test.Accounts.AccountEvent;
import dev.factum.test.Accounts.AccountOpened;
import dev.factum.test.Accounts.MoneyDeposited;
import dev.factum.test.Accounts.MoneyWithdrawn;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.factum.test.Accounts.money;
import static dev.factum.test.ProjectionFixture.GENERATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectionFixtureTest {
    static final EventCodec CODEC = EventCodec.builder().registerSealed(AccountEvent.class).build();

    /** Balances per account id, welcome mails as the side effect; a balance below zero is a bug it refuses. */
    static final class Balances {
        final InMemoryReadModel<String, BigDecimal> model = new InMemoryReadModel<>();
        final List<String> mailsSent = new ArrayList<>();
        final List<Integer> batchSizes = new ArrayList<>();
        final List<ProjectionContext> contexts = new ArrayList<>();

        BigDecimal of(String account) {
            return model.get(GENERATION, account).orElseThrow();
        }
    }

    record BalanceProjection(Balances balances) implements Projection {
        @Override
        public String name() {
            return "balances";
        }

        @Override
        public Optional<String> category() {
            return Optional.of("Account");
        }

        @Override
        public void apply(EventBatch batch, ProjectionContext context) throws Exception {
            balances.batchSizes.add(batch.events().size());
            balances.contexts.add(context);
            var map = balances.model.generation(context.generation());
            for (RecordedEvent recorded : batch.events()) {
                String id = recorded.stream().id();
                switch (CODEC.decode(recorded, AccountEvent.class)) {
                    case AccountOpened o -> {
                        map.put(id, BigDecimal.ZERO);
                        context.sideEffects().run(recorded, () -> balances.mailsSent.add("welcome " + o.owner()));
                    }
                    case MoneyDeposited d -> map.merge(id, d.amount(), BigDecimal::add);
                    case MoneyWithdrawn w -> {
                        BigDecimal after = map.get(id).subtract(w.amount());
                        if (after.signum() < 0) throw new IllegalStateException("balance of " + id + " below zero");
                        map.put(id, after);
                    }
                }
            }
        }
    }

    static final ProjectionFixture<Balances> FIXTURE = ProjectionFixture.of(Balances::new, BalanceProjection::new, CODEC);

    @Nested
    class Given {
        @Test
        void events_get_versions_per_stream_and_positions_across_streams_in_the_order_given() {
            var history = FIXTURE.given("Account-1", new AccountOpened("ada"), new MoneyDeposited(money("10")))
                    .given("Account-2", new AccountOpened("bob"))
                    .given("Account-1", new MoneyWithdrawn(money("3")))
                    .history();

            assertThat(history).extracting(e -> e.stream() + "@" + e.version() + "#" + e.position().value())
                    .containsExactly("Account-1@1#1", "Account-1@2#2", "Account-2@1#3", "Account-1@3#4");
            assertThat(history).extracting(RecordedEvent::type)
                    .containsExactly("AccountOpened", "MoneyDeposited", "AccountOpened", "MoneyWithdrawn");
            assertThat(history.get(0).recordedAt()).isEqualTo(ProjectionFixture.RECORDED_FROM);
            assertThat(history.get(3).recordedAt()).isEqualTo(ProjectionFixture.RECORDED_FROM.plusMillis(3));
        }

        @Test
        void recorded_events_are_fed_as_they_are_and_must_come_in_position_order() {
            var encoded = CODEC.encode(new AccountOpened("ada"), Metadata.create().withUserId("ada"));
            var recorded = new RecordedEvent(StreamId.parse("Account-7"), 1, Position.of(40), encoded.type(),
                    encoded.data(), encoded.metadata(), Instant.parse("2025-05-05T00:00:00Z"));
            var fixture = FIXTURE.given(recorded);

            fixture.then(b -> assertThat(b.of("7")).isZero());
            assertThatThrownBy(() -> fixture.given(recorded)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("position order");
            fixture.given("Account-7", new MoneyDeposited(money("1")))
                    .then(b -> assertThat(b.of("7")).isEqualByComparingTo("1"));
        }

        @Test
        void events_of_other_categories_are_not_fed_to_a_projection_of_one_category() {
            FIXTURE.given("Account-1", new AccountOpened("ada"))
                    .given("Archive-1", new MoneyDeposited(money("99")))
                    .then(b -> {
                        assertThat(b.of("1")).isZero();
                        assertThat(b.batchSizes).containsExactly(1);
                    });
        }
    }

    @Nested
    class Then {
        private final ProjectionFixture<Balances> twoAccounts = FIXTURE
                .given("Account-1", new AccountOpened("ada"), new MoneyDeposited(money("10")))
                .given("Account-2", new AccountOpened("bob"));

        @Test
        void passes_when_the_read_model_meets_the_requirements() {
            twoAccounts.then(b -> {
                assertThat(b.model.view(GENERATION)).containsOnlyKeys("1", "2");
                assertThat(b.of("1")).isEqualByComparingTo("10");
                assertThat(b.mailsSent).containsExactly("welcome ada", "welcome bob");
                assertThat(b.contexts).extracting(ProjectionContext::projection, ProjectionContext::generation,
                        ProjectionContext::rebuilding).containsOnly(org.assertj.core.groups.Tuple.tuple("balances", 1, false));
            });
        }

        @Test
        void fails_when_the_read_model_does_not() {
            assertThatThrownBy(() -> twoAccounts.then(b -> assertThat(b.of("1")).isEqualByComparingTo("11")))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("11").hasMessageContaining("10");
        }

        @Test
        void fails_when_the_projection_fails_with_its_exception_as_cause() {
            assertThatThrownBy(() -> twoAccounts.given("Account-2", new MoneyWithdrawn(money("1"))).then(b -> { }))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("projection balances failed on the batch of positions 1..4")
                    .hasCauseInstanceOf(IllegalStateException.class);
        }

        @Test
        void each_then_feeds_a_fresh_read_model() {
            twoAccounts.then(b -> assertThat(b.of("1")).isEqualByComparingTo("10"))
                    .then(b -> assertThat(b.of("1")).isEqualByComparingTo("10"));
        }

        @Test
        void the_history_is_delivered_in_batches_of_the_chosen_size() {
            twoAccounts.batchSize(2).then(b -> assertThat(b.batchSizes).containsExactly(2, 1));
            twoAccounts.then(b -> assertThat(b.batchSizes).containsExactly(3));
            assertThatThrownBy(() -> twoAccounts.batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_rebuild_mutes_side_effects() {
            twoAccounts.rebuilding().then(b -> {
                assertThat(b.of("1")).isEqualByComparingTo("10");
                assertThat(b.mailsSent).isEmpty();
                assertThat(b.contexts).allSatisfy(c -> assertThat(c.rebuilding()).isTrue());
            });
        }
    }

    @Nested
    class Then_fails {
        @Test
        void passes_when_the_projection_fails_with_that_type() {
            FIXTURE.given("Account-1", new AccountOpened("ada"), new MoneyWithdrawn(money("1")))
                    .thenFails(IllegalStateException.class);
        }

        @Test
        void fails_when_the_projection_handles_everything() {
            assertThatThrownBy(() -> FIXTURE.given("Account-1", new AccountOpened("ada")).thenFails(IllegalStateException.class))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to fail with java.lang.IllegalStateException, but it handled all 1 given event(s)");
        }

        @Test
        void fails_when_the_projection_fails_otherwise() {
            assertThatThrownBy(() -> FIXTURE.given("Account-1", new AccountOpened("ada"), new MoneyWithdrawn(money("1")))
                    .thenFails(UnsupportedOperationException.class))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("IllegalStateException");
        }
    }
}
