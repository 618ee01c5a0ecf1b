// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import dev.factum.retry.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a {@link SagaDefinition}: its name, its action, its compensation (none for a step with nothing to
 * undo, such as sending a confirmation), how long one attempt may take, and how often a failing action is tried.
 *
 * @since 0.1
 */
public record SagaStep<D>(String name, SagaAction<D> action, Optional<SagaCompensation<D>> compensation,
                          Duration timeout, RetryPolicy retry) {
    public SagaStep {
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
