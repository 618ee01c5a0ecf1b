// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import dev.factum.event.RecordedEvent;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Counts events per stream into an {@link InMemoryReadModel}, "emails" each event id through the side effects, fails
 * on events of type {@code Poison} (unless told not to), and can hold the active generation's batches at a gate.
 */
final class CountingProjection implements Projection {
    final String name;
    final InMemoryReadModel<String, Integer> model = new InMemoryReadModel<>();
    final List<UUID> emails = new CopyOnWriteArrayList<>();
    final List<Integer> created = new CopyOnWriteArrayList<>();
    final List<Integer> dropped = new CopyOnWriteArrayList<>();
    volatile CountDownLatch liveGate = new CountDownLatch(0);
    volatile boolean failOnPoison = true;
    volatile boolean failWhenRebuilding;
    volatile String category;

    CountingProjection(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> category() {
        return Optional.ofNullable(category);
    }

    @Override
    public void apply(EventBatch batch, ProjectionContext context) throws Exception {
        if (!context.rebuilding()) liveGate.await();
        if (failWhenRebuilding && context.rebuilding()) throw new IllegalStateException("rebuild refused");
        Map<String, Integer> counts = model.generation(context.generation());
        for (RecordedEvent e : batch.events()) {
            if (failOnPoison && e.type().equals("Poison")) throw new IllegalStateException("cannot count poison at " + e.position());
            counts.merge(e.stream().toString(), 1, Integer::sum);
            context.sideEffects().run(e, () -> emails.add(e.eventId()));
        }
    }

    @Override
    public void createGeneration(int generation, StoreTransaction transaction) {
        created.add(generation);
    }

    @Override
    public void dropGeneration(int generation, StoreTransaction transaction) {
        dropped.add(generation);
        model.drop(generation);
    }

    /** What queries see: the active generation's counts. */
    Map<String, Integer> query(Projections projections) {
        return model.view(projections.activeGeneration(name));
    }
}
