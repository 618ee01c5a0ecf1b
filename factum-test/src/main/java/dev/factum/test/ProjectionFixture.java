// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.event.codec.EventCodec;
import dev.factum.store.Position;
import dev.factum.store.StreamId;
import dev.factum.subscription.EventBatch;
import dev.factum.subscription.Projection;
import dev.factum.subscription.ProjectionContext;
import dev.factum.subscription.SideEffects;
import dev.factum.subscription.StoreTransaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Given-then for a {@link Projection}, as a thin layer over the projection itself: the given events become
 * {@link RecordedEvent}s and are fed to the real projection's {@link Projection#apply} in position order, against a
 * fresh read model, which the test then asserts on. No store and no subscription run.
 *
 * <pre>{@code
 * ProjectionFixture.of(Balances::new, BalanceProjection::new, CODEC)
 *         .given("Account-1", new AccountOpened("ada"), new MoneyDeposited(ten))
 *         .given("Account-2", new AccountOpened("bob"))
 *         .then(balances -> assertThat(balances.of("1")).isEqualByComparingTo("10"));
 * }</pre>
 *
 * <p>The events are built as a store would record them: versions 1, 2, … per stream, positions 1, 2, … across all
 * streams in the order given, payloads encoded with the codec (so the decode path and its upcasters run), root
 * {@link Metadata} each, and {@code recordedAt} one millisecond apart from {@link #RECORDED_FROM} (deterministic, so a
 * read model that shows times can be asserted). Events of other categories than {@link Projection#category()} are
 * left out, as a subscription would. They are delivered in batches of {@link #batchSize} events (all at once by
 * default) with {@link StoreTransaction#NONE}, generation {@link #GENERATION} (created first with
 * {@link Projection#createGeneration}), and live side effects ({@link #rebuilding()} mutes them).
 *
 * <p>Immutable: each {@code then} builds a new read model and projection from the suppliers and feeds them the whole
 * history, so one fixture can serve several assertions.
 *
 * @param <R> the read model the projection writes to
 * @since 0.1
 */
public final class ProjectionFixture<R> {
    /** The {@code recordedAt} of the first given event; each next one is a millisecond later. */
    public static final Instant RECORDED_FROM = Instant.parse("2026-01-01T00:00:00Z");
    /** The generation the history is fed to: read the model of this one ({@code model.view(GENERATION)}). */
    public static final int GENERATION = 1;

    private final Supplier<? extends R> readModel;
    private final Function<? super R, ? extends Projection> projection;
    private final EventCodec codec;
    private final List<RecordedEvent> history;
    private final int batchSize;
    private final boolean rebuilding;

    private ProjectionFixture(Supplier<? extends R> readModel, Function<? super R, ? extends Projection> projection,
                              EventCodec codec, List<RecordedEvent> history, int batchSize, boolean rebuilding) {
        this.readModel = Objects.requireNonNull(readModel, "readModel");
        this.projection = Objects.requireNonNull(projection, "projection");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.history = List.copyOf(history);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        this.batchSize = batchSize;
        this.rebuilding = rebuilding;
    }

    /**
     * A fixture that makes a fresh read model with {@code readModel}, the projection over it with {@code projection},
     * and encodes given payloads with {@code codec}.
     */
    public static <R> ProjectionFixture<R> of(Supplier<? extends R> readModel,
                                              Function<? super R, ? extends Projection> projection, EventCodec codec) {
        return new ProjectionFixture<>(readModel, projection, codec, List.of(), Integer.MAX_VALUE, false);
    }

    /**
     * This fixture with {@code payloads} appended to {@code stream} ({@code Category-id}), in order.
     *
     * @throws IllegalArgumentException if the stream id is malformed
     * @throws dev.factum.event.InvalidEventException if a payload's class is not registered with the codec
     */
    public ProjectionFixture<R> given(String stream, Object... payloads) {
        StreamId id = StreamId.parse(stream);
        List<RecordedEvent> all = new ArrayList<>(history);
        long version = history.stream().filter(e -> e.stream().equals(id)).mapToLong(RecordedEvent::version).max().orElse(0);
        for (Object payload : payloads) {
            NewEvent event = codec.encode(payload, Metadata.create());
            long position = all.isEmpty() ? 1 : all.get(all.size() - 1).position().value() + 1;
            all.add(new RecordedEvent(id, ++version, Position.of(position), event.type(), event.data(),
                    event.metadata(), RECORDED_FROM.plus(Duration.ofMillis(position - 1))));
        }
        return with(all, batchSize, rebuilding);
    }

    /**
     * This fixture with {@code events} added as they are (e.g. stored in an old shape, or with chosen metadata).
     *
     * @throws IllegalArgumentException if an event's position is not after the last one's
     */
    public ProjectionFixture<R> given(RecordedEvent... events) {
        List<RecordedEvent> all = new ArrayList<>(history);
        for (RecordedEvent event : events) {
            Objects.requireNonNull(event, "a given event is null");
            if (!all.isEmpty() && !event.position().isAfter(all.get(all.size() - 1).position())) {
                throw new IllegalArgumentException("given event at " + event.position() + " is not after "
                        + all.get(all.size() - 1).position() + ": a projection sees events in position order");
            }
            all.add(event);
        }
        return with(all, batchSize, rebuilding);
    }

    /** This fixture delivering the history in batches of at most {@code events} events. */
    public ProjectionFixture<R> batchSize(int events) {
        return with(history, events, rebuilding);
    }

    /** This fixture feeding the history as a rebuild does: {@code rebuilding} set, side effects muted. */
    public ProjectionFixture<R> rebuilding() {
        return with(history, batchSize, true);
    }

    /** The history as it will be fed, before the category filter. */
    public List<RecordedEvent> history() {
        return history;
    }

    /**
     * Feeds the history to a fresh projection and read model, then hands the read model to {@code requirements}
     * (AssertJ assertions).
     *
     * @throws AssertionError if the projection fails on a batch (its exception is the cause), or from the requirements
     */
    public ProjectionFixture<R> then(Consumer<? super R> requirements) {
        R model = readModel.get();
        Projection target = projection.apply(model);
        try {
            target.createGeneration(GENERATION, StoreTransaction.NONE);
        } catch (Exception e) {
            throw new AssertionError("projection " + target.name() + " failed to create generation " + GENERATION + ": " + e, e);
        }
        for (List<RecordedEvent> batch : batches(target)) {
            try {
                apply(target, batch);
            } catch (Exception e) {
                throw new AssertionError("projection " + target.name() + " failed on the batch of positions "
                        + batch.get(0).position() + ".." + batch.get(batch.size() - 1).position() + ": " + e, e);
            }
        }
        requirements.accept(model);
        return this;
    }

    /**
     * Asserts that the projection fails on the history with an exception of {@code type} (or a subtype).
     *
     * @throws AssertionError if it handles every batch, or fails with another exception
     */
    public ProjectionFixture<R> thenFails(Class<? extends Exception> type) {
        Projection target = projection.apply(readModel.get());
        Exception error = null;
        try {
            target.createGeneration(GENERATION, StoreTransaction.NONE);
            for (List<RecordedEvent> batch : batches(target)) apply(target, batch);
        } catch (Exception e) {
            error = e;
        }
        if (error == null) {
            throw new AssertionError("expected projection " + target.name() + " to fail with " + type.getName()
                    + ", but it handled all " + history.size() + " given event(s)");
        }
        assertThat(error).as("failure of projection %s", target.name()).isInstanceOf(type);
        return this;
    }

    private List<List<RecordedEvent>> batches(Projection target) {
        List<RecordedEvent> seen = target.category()
                .map(category -> history.stream().filter(e -> e.stream().category().equals(category)).toList())
                .orElse(history);
        List<List<RecordedEvent>> batches = new ArrayList<>();
        for (int from = 0; from < seen.size(); from += batchSize) {
            batches.add(seen.subList(from, (int) Math.min((long) from + batchSize, seen.size())));
        }
        return batches;
    }

    private void apply(Projection target, List<RecordedEvent> batch) throws Exception {
        SideEffects sideEffects = rebuilding ? SideEffects.muted() : SideEffects.live();
        target.apply(new EventBatch(target.name(), batch, StoreTransaction.NONE),
                new ProjectionContext(target.name(), GENERATION, rebuilding, sideEffects));
    }

    private ProjectionFixture<R> with(List<RecordedEvent> all, int batch, boolean rebuild) {
        return new ProjectionFixture<>(readModel, projection, codec, all, batch, rebuild);
    }
}
