// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

/**
 * A step's forward work: given the saga's data, do it and answer {@link SagaReply#done} with the new data or
 * {@link SagaReply#refused} with a business reason. Throwing means a technical failure, retried by the step's policy.
 *
 * @param <D> the saga data
 * @since 0.1
 */
@FunctionalInterface
public interface SagaAction<D> {
    SagaReply<D> run(D data, StepContext context) throws Exception;
}
