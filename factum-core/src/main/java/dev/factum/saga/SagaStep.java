// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import dev.factum.retry.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One step of a {@link SagaDefinition}: its name, its action, its compensation (none for a step with nothing to
 * undo, such as sending a confirmation), how long one attempt may take, how often a failing action is tried, and —
 * for a step whose participant is remote — how the participant's result changes the saga's data ({@code onDone}).
 *
 * @since 0.1
 */
public record SagaStep<D>(String name, SagaAction<D> action, Optional<SagaCompensation<D>> compensation,
                          Duration timeout, RetryPolicy retry, Optional<ResultFold<D, ?>> onDone) {

    /** A step without a result fold: a remote participant's done reply carries the saga's new data, or nothing. */
    public SagaStep(String name, SagaAction<D> action, Optional<SagaCompensation<D>> compensation, Duration timeout,
                    RetryPolicy retry) {
        this(name, action, compensation, timeout, retry, Optional.empty());
    }

    /**
     * How a remote participant's result — the body of its done reply, read as {@code type} — becomes the saga's new
     * data, so the participant answers with its own result (a charge id, a tracking number) and never sees the saga's
     * data type.
     *
     * @param type the result's type, read from JSON
     * @param fold the saga's data and the result → the saga's new data
     */
    public record ResultFold<D, R>(Class<R> type, BiFunction<D, R, D> fold) {
        public ResultFold {
            Objects.requireNonNull(type, "the result's type");
            Objects.requireNonNull(fold, "the result's fold");
        }

        D apply(D data, Object result) {
            return Objects.requireNonNull(fold.apply(data, type.cast(result)), "a result fold returned null data");
        }
    }

    public SagaStep {
        Objects.requireNonNull(onDone, "onDone");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a saga step needs a name");
        if (name.contains(":")) throw new IllegalArgumentException("saga step name '" + name + "' contains ':'");
        Objects.requireNonNull(action, () -> "step '" + name + "' has no action (invoke(...))");
        Objects.requireNonNull(compensation, "compensation");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retry, "retry");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("step '" + name + "' timeout must be positive, was " + timeout);
        }
    }
}
