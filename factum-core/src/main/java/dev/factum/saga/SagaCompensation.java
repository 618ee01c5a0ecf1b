// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

/**
 * Undoes a completed step (release the stock, refund the payment). Given the saga's data as it was when the
 * compensation began. Throwing is retried by the saga's compensation policy; when that runs out the saga is parked
 * as {@link SagaStatus#NEEDS_ATTENTION} with a dead letter.
 *
 * @param <D> the saga data
 * @since 0.1
 */
@FunctionalInterface
public interface SagaCompensation<D> {
    void compensate(D data, StepContext context) throws Exception;
}
