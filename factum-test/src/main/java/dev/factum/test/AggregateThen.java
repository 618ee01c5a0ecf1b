// SPDX-License-Identifier: Apache-2.0
package dev.factum.test;

import dev.factum.aggregate.Aggregate;
import dev.factum.aggregate.RuleViolationException;
import dev.factum.event.RecordedEvent;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outcome of {@link AggregateFixture#when}: either the events the command caused or the exception that refused
 * it. Each {@code then…} method asserts one thing and fails with an {@link AssertionError} (AssertJ's, showing the
 * expected and the actual value) when it does not hold; it returns this outcome so that assertions chain:
 * {@code .then(new MoneyDeposited(ten)).thenState(s -> s.balance().equals(ten))}. A refusal met where events were
 * expected fails with the refusal attached as the cause, and the other way round the message lists the events.
 *
 * @param <S> the aggregate's state
 * @param <E> its event type
 * @since 0.1
 */
public final class AggregateThen<S, E> {
    private final Aggregate<S, E, ?> aggregate;
    private final Object command;
    private final S before;
    private final List<E> events;
    private final Optional<RuntimeException> refusal;
    private final Optional<List<RecordedEvent>> stored;

    private AggregateThen(Aggregate<S, E, ?> aggregate, Object command, S before, List<E> events,
                          Optional<RuntimeException> refusal, Optional<List<RecordedEvent>> stored) {
        this.aggregate = aggregate;
        this.command = command;
        this.before = before;
        this.events = List.copyOf(events);
        this.refusal = refusal;
        this.stored = stored.map(List::copyOf);
    }

    static <S, E> AggregateThen<S, E> decided(Aggregate<S, E, ?> aggregate, Object command, S before, List<E> events,
                                              Optional<List<RecordedEvent>> stored) {
        return new AggregateThen<>(aggregate, command, before, events, Optional.empty(), stored);
    }

    static <S, E> AggregateThen<S, E> refused(Aggregate<S, E, ?> aggregate, Object command, S before,
                                              RuntimeException refusal) {
        return new AggregateThen<>(aggregate, command, before, List.of(), Optional.of(refusal), Optional.empty());
    }

    /** Asserts that the command caused exactly {@code expected}, in this order (compared with {@code equals}). */
    @SafeVarargs
    public final AggregateThen<S, E> then(E... expected) {
        return then(Arrays.asList(expected));
    }

    /** Asserts that the command caused exactly {@code expected}, in this order (compared with {@code equals}). */
    public AggregateThen<S, E> then(List<? extends E> expected) {
        assertThat(events()).as("events caused by %s", command).containsExactlyElementsOf(expected);
        return this;
    }

    /** Asserts that the command was accepted and caused no events. */
    public AggregateThen<S, E> thenNothing() {
        assertThat(events()).as("events caused by %s (expected none)", command).isEmpty();
        return this;
    }

    /** Asserts that the command was refused with an exception of {@code type} (or a subtype). */
    public AggregateThen<S, E> thenRefused(Class<? extends RuntimeException> type) {
        assertThat(refusal()).as("refusal of %s", command).isInstanceOf(type);
        return this;
    }

    /** Asserts that the command was refused with a {@link RuleViolationException} naming {@code rule}. */
    public AggregateThen<S, E> thenRefused(String rule) {
        RuntimeException refusal = refusal();
        assertThat(refusal).as("refusal of %s", command).isInstanceOf(RuleViolationException.class);
        assertThat(((RuleViolationException) refusal).rule())
                .as("rule broken by %s (refusal: %s)", command, refusal.getMessage()).isEqualTo(rule);
        return this;
    }

    /** Asserts that the state after the given events and the new ones equals {@code expected}. */
    public AggregateThen<S, E> thenState(S expected) {
        assertThat(state()).as("state after %s", command).isEqualTo(expected);
        return this;
    }

    /** Asserts that the state after the given events and the new ones matches {@code expected}. */
    public AggregateThen<S, E> thenState(Predicate<? super S> expected) {
        assertThat(state()).as("state after %s", command).matches(s -> expected.test(s), "the expected state");
        return this;
    }

    /**
     * Hands the new events as stored to {@code requirements} (AssertJ assertions on metadata, versions, types).
     * Only an outcome of {@link AggregateFixture#whenHandled} has stored events; after {@code when} this fails.
     */
    public AggregateThen<S, E> thenStored(Consumer<List<RecordedEvent>> requirements) {
        events();
        requirements.accept(stored.orElseThrow(() -> new AssertionError(
                "no stored events to check: use whenHandled(command, metadata) instead of when(command)")));
        return this;
    }

    /**
     * The events the command caused.
     *
     * @throws AssertionError if the command was refused (the refusal is the cause)
     */
    public List<E> events() {
        if (refusal.isPresent()) {
            RuntimeException e = refusal.get();
            throw new AssertionError("expected " + command + " to be accepted, but it was refused with "
                    + describe(e), e);
        }
        return events;
    }

    /**
     * The state after the given events and the new ones, folded with the aggregate's {@code evolve}.
     *
     * @throws AssertionError if the command was refused
     */
    public S state() {
        return aggregate.fold(before, events());
    }

    /**
     * The exception that refused the command.
     *
     * @throws AssertionError if the command was accepted (the message lists its events)
     */
    public RuntimeException refusal() {
        return refusal.orElseThrow(() -> new AssertionError(
                "expected " + command + " to be refused, but it was accepted with events " + events));
    }

    private static String describe(RuntimeException e) {
        return e instanceof RuleViolationException v
                ? "rule '" + v.rule() + "': " + v.getMessage()
                : e.getClass().getName() + ": " + e.getMessage();
    }

    @Override
    public String toString() {
        return refusal.map(e -> "refused " + command + " with " + describe(e))
                .orElseGet(() -> "accepted " + command + " with " + events);
    }
}
