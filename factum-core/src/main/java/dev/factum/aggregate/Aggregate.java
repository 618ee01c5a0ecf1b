// SPDX-License-Identifier: Apache-2.0
package dev.factum.aggregate;

import dev.factum.event.codec.EventCodec;
import dev.factum.store.StreamId;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The definition of one aggregate type, written as plain functions over records — no annotations, no reflection on
 * handlers: the stream category, the initial state, {@code evolve(state, event) -> state} and
 * {@code decide(state, command) -> events}. Events are the records of a sealed interface {@code E}, so the fold in
 * {@code evolve} is an exhaustive {@code switch} that the compiler checks when an event is added.
 *
 * <p>{@code decide} refuses a command by throwing a {@link RuleViolationException}; it returns the new events
 * (possibly none) otherwise. Both functions must be pure: a {@link Repository} may call {@code decide} again after a
 * concurrent writer won. The {@link EventCodec} that maps the events to stored JSON is built from the sealed
 * interface ({@link EventCodec.Builder#registerSealed}) unless one is given, e.g. with upcasters.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder}. A missing part is refused by
 * {@link Builder#build()} with an {@link IllegalStateException}.
 *
 * @param <S> the state record
 * @param <E> the sealed interface of event records
 * @param <C> the command type (often a sealed interface of command records)
 * @since 0.1
 */
public final class Aggregate<S, E, C> {
    private final String category;
    private final Class<S> stateType;
    private final Class<E> eventType;
    private final Class<C> commandType;
    private final S initialState;
    private final BiFunction<S, E, S> evolve;
    private final BiFunction<S, C, List<E>> decide;
    private final EventCodec codec;

    private Aggregate(Builder<S, E, C> b) {
        this.category = b.category;
        this.stateType = b.stateType;
        this.eventType = b.eventType;
        this.commandType = b.commandType;
        this.initialState = b.initialState;
        this.evolve = b.evolve;
        this.decide = b.decide;
        this.codec = b.codec != null ? b.codec : EventCodec.builder().registerSealed(b.eventType).build();
    }

    /**
     * Starts a definition. The category names the streams ({@code Account-42}); it follows {@link StreamId}'s rules.
     *
     * @throws IllegalArgumentException if the category is not a valid stream category
     */
    public static <S, E, C> Builder<S, E, C> builder(String category, Class<S> stateType, Class<E> eventType,
                                                     Class<C> commandType) {
        return new Builder<>(category, stateType, eventType, commandType);
    }

    public String category() {
        return category;
    }

    public Class<S> stateType() {
        return stateType;
    }

    public Class<E> eventType() {
        return eventType;
    }

    public Class<C> commandType() {
        return commandType;
    }

    public S initialState() {
        return initialState;
    }

    public EventCodec codec() {
        return codec;
    }

    /** The stream of the instance {@code id}: {@code category-id}. */
    public StreamId streamId(String id) {
        return StreamId.of(category, id);
    }

    /** The state after {@code event}. */
    public S evolve(S state, E event) {
        return Objects.requireNonNull(evolve.apply(state, event), () -> "evolve returned null for " + event);
    }

    /** The state after all {@code events}, in order, starting from {@code state}. */
    public S fold(S state, List<? extends E> events) {
        S current = state;
        for (E event : events) current = evolve(current, event);
        return current;
    }

    /**
     * The events that {@code command} causes in {@code state}, possibly none.
     *
     * @throws RuleViolationException if the command breaks a business rule
     */
    public List<E> decide(S state, C command) {
        List<E> events = decide.apply(state, command);
        Objects.requireNonNull(events, () -> "decide returned null for " + command + " (return List.of() for no events)");
        return List.copyOf(events);
    }

    @Override
    public String toString() {
        return "Aggregate[" + category + ", state " + stateType.getSimpleName() + ", events " + eventType.getSimpleName() + "]";
    }

    /** Collects the parts of an {@link Aggregate}; every part but the codec is required. */
    public static final class Builder<S, E, C> {
        private final String category;
        private final Class<S> stateType;
        private final Class<E> eventType;
        private final Class<C> commandType;
        private S initialState;
        private BiFunction<S, E, S> evolve;
        private BiFunction<S, C, List<E>> decide;
        private EventCodec codec;

        private Builder(String category, Class<S> stateType, Class<E> eventType, Class<C> commandType) {
            StreamId.of(category, "x"); // validates the category
            this.category = category;
            this.stateType = Objects.requireNonNull(stateType, "stateType");
            this.eventType = Objects.requireNonNull(eventType, "eventType");
            this.commandType = Objects.requireNonNull(commandType, "commandType");
        }

        public Builder<S, E, C> initialState(S state) {
            this.initialState = Objects.requireNonNull(state, "initialState");
            return this;
        }

        public Builder<S, E, C> evolve(BiFunction<S, E, S> evolve) {
            this.evolve = Objects.requireNonNull(evolve, "evolve");
            return this;
        }

        public Builder<S, E, C> decide(BiFunction<S, C, List<E>> decide) {
            this.decide = Objects.requireNonNull(decide, "decide");
            return this;
        }

        /** The codec for the events; by default one built with {@code registerSealed(eventType)}. */
        public Builder<S, E, C> codec(EventCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * @throws IllegalStateException    if the initial state, evolve or decide is missing
         * @throws IllegalArgumentException if no codec was given and the event type is not a sealed interface
         */
        public Aggregate<S, E, C> build() {
            if (initialState == null) throw new IllegalStateException("aggregate " + category + " has no initial state");
            if (evolve == null) throw new IllegalStateException("aggregate " + category + " has no evolve function");
            if (decide == null) throw new IllegalStateException("aggregate " + category + " has no decide function");
            if (!stateType.isInstance(initialState)) {
                throw new IllegalStateException("initial state " + initialState + " is not a " + stateType.getName());
            }
            return new Aggregate<>(this);
        }
    }
}
