// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.StreamId;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Keeps the "Projections" example of factum-core/README.md true: the code between the markers is the README's. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectionsReadmeExampleTest {

    // README begin
    static final class CustomerNames implements Projection {
        final InMemoryReadModel<String, String> names = new InMemoryReadModel<>();
        final List<String> welcomed = new CopyOnWriteArrayList<>();     // stands for an email service

        @Override
        public String name() {
            return "customer-names";
        }

        @Override
        public Optional<String> category() {
            return Optional.of("Customer");
        }

        @Override
        public void apply(EventBatch batch, ProjectionContext context) throws Exception {
            Map<String, String> model = names.generation(context.generation());
            for (RecordedEvent e : batch.events()) {
                model.put(e.stream().id(), e.data());
                context.sideEffects().run(e, () -> welcomed.add(e.stream().id()));   // muted while rebuilding
            }
        }

        @Override
        public void dropGeneration(int generation, StoreTransaction transaction) {
            names.drop(generation);                       // SQL: DROP TABLE IF EXISTS customer_names_g<generation>
        }
    }
    // README end

    @Test
    void the_readme_example_runs() {
        // README begin
        CustomerNames customers = new CustomerNames();
        try (EventStore store = new InMemoryEventStore();
             Projections projections = Projections.builder(store, new InMemoryCheckpointStore()).add(customers).build()) {
            store.append(StreamId.of("Customer", "c-1"), ExpectedVersion.noStream(),
                    List.of(NewEvent.of("CustomerRegistered", "{\"name\":\"Ada\"}")));
            projections.start();
            await().until(() -> customers.names.get(projections.activeGeneration("customer-names"), "c-1").isPresent());

            assertThat(projections.rebuild("customer-names")).isEqualTo(2);   // builds generation 2 beside 1
            await().until(() -> projections.activeGeneration("customer-names") == 2);   // switched once caught up

            assertThat(customers.names.view(2)).containsEntry("c-1", "{\"name\":\"Ada\"}");
            assertThat(customers.names.generations()).containsExactly(2);     // generation 1 dropped
            assertThat(customers.welcomed).containsExactly("c-1");           // the replay sent no second email
            ProjectionStatus status = projections.status("customer-names");  // LIVE, generation 2, lag 0
            assertThat(status.activeGeneration()).isEqualTo(2);
        }
        // README end
    }
}
