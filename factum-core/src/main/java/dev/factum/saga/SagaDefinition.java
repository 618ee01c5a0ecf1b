// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import dev.factum.retry.RetryPolicy;
import dev.factum.store.StreamId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A saga's steps, in order, read top-down:
 *
 * <pre>{@code
 * SagaDefinition<Trip> saga = SagaDefinition.builder("TripSaga", Trip.class)
 *     .step("reserve-stock").invoke(inventory::reserve).compensate(inventory::release)
 *     .step("charge-payment").invoke(payment::charge).compensate(payment::refund)
 *         .timeout(Duration.ofSeconds(10)).retry(RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(8)))
 *     .step("send-confirmation").invoke(notification::send)
 *     .build();
 * }</pre>
 *
 * <p>The {@code name} is the category of the sagas' streams ({@code TripSaga-<id>}), so it must be a valid stream
 * category; {@code dataType} is the immutable record every step receives and returns, stored as JSON in the saga's
 * events. Immutable once built.
 *
 * @param compensationRetry how often a failing compensation is tried before the saga is parked
 * @since 0.1
 */
public record SagaDefinition<D>(String name, Class<D> dataType, List<SagaStep<D>> steps, RetryPolicy compensationRetry) {

    /** One attempt's timeout when a step does not set its own. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public SagaDefinition {
        Objects.requireNonNull(name, "saga name");
        try {
            StreamId.of(name, "x");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("saga name '" + name + "' is not a valid stream category: " + e.getMessage(), e);
        }
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(compensationRetry, "compensationRetry");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) throw new IllegalArgumentException("saga '" + name + "' has no steps");
        var names = new HashSet<String>();
        for (SagaStep<D> step : steps) {
            if (!names.add(step.name())) {
                throw new IllegalArgumentException("saga '" + name + "' has two steps named '" + step.name() + "'");
            }
        }
    }

    /** Starts a definition; add steps in the order they run. */
    public static <D> Builder<D> builder(String name, Class<D> dataType) {
        return new Builder<>(name, dataType);
    }

    /** The step called {@code name}. */
    public SagaStep<D> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("saga '" + name + "' has no step '" + stepName + "'"));
    }

    /**
     * Builds a {@link SagaDefinition}; {@code invoke}, {@code compensate}, {@code compensateRemotely}, {@code onDone},
     * {@code timeout} and {@code retry} apply to the last {@code step}.
     */
    public static final class Builder<D> {
        private final String name;
        private final Class<D> dataType;
        private final List<SagaStep<D>> steps = new ArrayList<>();
        private RetryPolicy compensationRetry = RetryPolicy.DEFAULT;
        private String stepName;
        private SagaAction<D> action;
        private SagaCompensation<D> compensation;
        private Duration timeout;
        private RetryPolicy retry;
        private SagaStep.ResultFold<D, ?> onDone;

        private Builder(String name, Class<D> dataType) {
            this.name = name;
            this.dataType = dataType;
        }

        /** Begins the next step. */
        public Builder<D> step(String name) {
            flush();
            this.stepName = name;
            return this;
        }

        /** The step's action. */
        public Builder<D> invoke(SagaAction<D> action) {
            current("invoke");
            this.action = action;
            return this;
        }

        /** What undoes the step when a later one fails. */
        public Builder<D> compensate(SagaCompensation<D> compensation) {
            current("compensate");
            this.compensation = compensation;
            return this;
        }

        /**
         * A compensation done by a remote participant: {@code request} sends the undo request (built with
         * {@link SagaMessages#request}) and the compensation waits — {@link SagaEvent.CompensationAwaiting} — for the
         * participant's reply, delivered with {@link SagaEngine#deliverCompensation} or the engine's
         * {@link SagaEngine#replyHandler()}: done means undone; refused, a thrown request or no reply by the deadline
         * is a failed attempt, retried by {@link #compensationRetry} and then parked.
         */
        public Builder<D> compensateRemotely(SagaCompensation<D> request) {
            current("compensateRemotely");
            this.compensation = new AwaitingCompensation<>(request);
            return this;
        }

        /**
         * How a remote participant's done reply changes the saga's data: its result (the body the participant sent
         * with {@link SagaMessages#done(dev.factum.transport.Message, Object)}) is read as {@code resultType} and
         * folded into the data. Without it, a result is read as the saga's new data and a reply without one leaves
         * the data as it was.
         *
         * <pre>{@code
         * .step("charge-payment").invoke(payments::requestCharge)
         *     .onDone(Charged.class, (trip, charged) -> trip.withChargeId(charged.chargeId()))
         * }</pre>
         */
        public <R> Builder<D> onDone(Class<R> resultType, java.util.function.BiFunction<D, R, D> fold) {
            current("onDone");
            this.onDone = new SagaStep.ResultFold<>(resultType, fold);
            return this;
        }

        /** How long one attempt of the step may take (default {@link #DEFAULT_TIMEOUT}); a timed-out attempt is retried. */
        public Builder<D> timeout(Duration timeout) {
            current("timeout");
            this.timeout = timeout;
            return this;
        }

        /** How often the step's action is tried (default {@link RetryPolicy#DEFAULT}). */
        public Builder<D> retry(RetryPolicy retry) {
            current("retry");
            this.retry = retry;
            return this;
        }

        /** How often each compensation is tried before the saga is parked (default {@link RetryPolicy#DEFAULT}). */
        public Builder<D> compensationRetry(RetryPolicy policy) {
            this.compensationRetry = policy;
            return this;
        }

        public SagaDefinition<D> build() {
            flush();
            return new SagaDefinition<>(name, dataType, steps, compensationRetry);
        }

        private void current(String what) {
            if (stepName == null) throw new IllegalStateException(what + "(...) needs a step(...) before it");
        }

        private void flush() {
            if (stepName == null) return;
            steps.add(new SagaStep<>(stepName, action, Optional.ofNullable(compensation),
                    timeout == null ? DEFAULT_TIMEOUT : timeout, retry == null ? RetryPolicy.DEFAULT : retry,
                    Optional.ofNullable(onDone)));
            stepName = null;
            action = null;
            compensation = null;
            timeout = null;
            retry = null;
            onDone = null;
        }
    }
}
