// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.HandledCommand;
import dev.factum.aggregate.Repository;
import dev.factum.event.Metadata;
import dev.factum.event.NewEvent;
import dev.factum.event.RecordedEvent;
import dev.factum.store.EventStore;
import dev.factum.store.ExpectedVersion;
import dev.factum.store.InMemoryEventStore;
import dev.factum.store.ReadStreamOptions;
import dev.factum.store.StreamId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Given-when-then for one {@link Aggregate}, as a thin layer over the aggregate itself: the given events are folded
 * with the aggregate's own {@code evolve}, the command is run through its own {@code decide}, and the outcome — the
 * new events, or the exception that refused the command — is asserted with {@link AggregateThen}. There is no bus and
 * no store: what passes here is exactly what the aggregate does.
 *
 * <pre>{@code
 * AggregateFixture.of(ACCOUNT)
 *         .given(new AccountOpened("ada"), new MoneyDeposited(new BigDecimal("10")))
 *         .when(new Withdraw(new BigDecimal("25")))
 *         .thenRefused("insufficient-funds");
 * }</pre>
 *
 * <p>{@link #whenHandled} runs the command through the real {@link Repository} over a fresh {@link InMemoryEventStore}
 * instead (the given events are appended first), so the events can also be checked as stored, with their metadata.
 *
 * <p>Immutable: {@code given} returns a new fixture, so one prepared history can be shared by several tests. An
 * exception thrown by {@code evolve} while folding the given events is not an outcome: it propagates from
 * {@code when}, because the test's history is wrong, not the command.
 *
 * @param <S> the aggregate's state
 * @param <E> its event type
 * @param <C> its command type
 * @since 0.1
 */
public final class AggregateFixture<S, E, C> {
    /** The instance id {@link #whenHandled} uses: the stream is {@code Category-fixture}. */
    public static final String INSTANCE_ID = "fixture";

    private final Aggregate<S, E, C> aggregate;
    private final List<E> given;

    private AggregateFixture(Aggregate<S, E, C> aggregate, List<E> given) {
        this.aggregate = Objects.requireNonNull(aggregate, "aggregate");
        this.given = List.copyOf(given);
    }

    /** A fixture for {@code aggregate} with no history yet. */
    public static <S, E, C> AggregateFixture<S, E, C> of(Aggregate<S, E, C> aggregate) {
        return new AggregateFixture<>(aggregate, List.of());
    }

    /** This fixture with {@code events} added to its history, in order. */
    @SafeVarargs
    public final AggregateFixture<S, E, C> given(E... events) {
        return given(Arrays.asList(events));
    }

    /** This fixture with {@code events} added to its history, in order. */
    public AggregateFixture<S, E, C> given(List<? extends E> events) {
        List<E> all = new ArrayList<>(given);
        for (E event : events) {
            Objects.requireNonNull(event, "a given event is null");
            if (!aggregate.eventType().isInstance(event)) {
                throw new IllegalArgumentException("given event " + event + " is not a " + aggregate.eventType().getName());
            }
            all.add(event);
        }
        return new AggregateFixture<>(aggregate, all);
    }

    /** This fixture with an empty history: the command meets the aggregate's initial state. Reads better than nothing. */
    public AggregateFixture<S, E, C> givenNothing() {
        return new AggregateFixture<>(aggregate, List.of());
    }

    /** The history so far. */
    public List<E> history() {
        return given;
    }

    /**
     * Folds the history with the aggregate's {@code evolve} and runs {@code command} through its {@code decide}. A
     * runtime exception from {@code decide} is the outcome (assert it with {@link AggregateThen#thenRefused}); one from
     * folding the history propagates.
     */
    public AggregateThen<S, E> when(C command) {
        Objects.requireNonNull(command, "command");
        S before = aggregate.fold(aggregate.initialState(), given);
        try {
            List<E> events = aggregate.decide(before, command);
            return AggregateThen.decided(aggregate, command, before, events, Optional.empty());
        } catch (RuntimeException refusal) {
            return AggregateThen.refused(aggregate, command, before, refusal);
        }
    }

    /**
     * Appends the history to stream {@code Category-fixture} of a fresh {@link InMemoryEventStore} (encoded with the
     * aggregate's codec, one root {@link Metadata} per event), then handles {@code command} with the real
     * {@link Repository} and {@code metadata}. The outcome carries the stored new events too
     * ({@link AggregateThen#thenStored}).
     */
    public AggregateThen<S, E> whenHandled(C command, Metadata metadata) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(metadata, "metadata");
        try (EventStore store = new InMemoryEventStore()) {
            StreamId stream = aggregate.streamId(INSTANCE_ID);
            if (!given.isEmpty()) {
                List<NewEvent> history = new ArrayList<>(given.size());
                for (E event : given) history.add(aggregate.codec().encode(event, Metadata.create()));
                store.append(stream, ExpectedVersion.noStream(), history);
            }
            Repository<S, E, C> repository = Repository.of(aggregate, store);
            S before = repository.load(INSTANCE_ID).state();
            HandledCommand<S, E> handled;
            try {
                handled = repository.handle(INSTANCE_ID, command, metadata);
            } catch (RuntimeException refusal) {
                return AggregateThen.refused(aggregate, command, before, refusal);
            }
            List<RecordedEvent> stored = new ArrayList<>();
            store.readStream(stream, ReadStreamOptions.forward().fromVersion(given.size() + 1L)).forEach(stored::add);
            return AggregateThen.decided(aggregate, command, before, handled.events(), Optional.of(stored));
        }
    }

    @Override
    public String toString() {
        return "AggregateFixture[" + aggregate + ", given " + given + "]";
    }
}
