// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import java.util.Objects;

/**
 * A compensation done by a remote participant ({@link SagaDefinition.Builder#compensateRemotely}): running it sends
 * the request; the compensation is done when the participant's reply is delivered.
 */
record AwaitingCompensation<D>(SagaCompensation<D> request) implements SagaCompensation<D> {
    AwaitingCompensation {
        Objects.requireNonNull(request, "the request of a remote compensation");
    }

    @Override
    public void compensate(D data, StepContext context) throws Exception {
        request.compensate(data, context);
    }
}
