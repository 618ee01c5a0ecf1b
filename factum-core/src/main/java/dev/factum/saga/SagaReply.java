// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import java.util.Objects;

/**
 * What a step's action answers: {@link Done} with the saga's new data, or {@link Refused} — a participant's business
 * "no" (out of stock, payment declined). A refusal is an answer, not an error: it is not retried and it starts the
 * compensation of the completed steps at once. Technical failures are exceptions; they are retried by the step's
 * {@link dev.factum.retry.RetryPolicy}.
 *
 * @param <D> the saga data, an immutable record
 * @since 0.1
 */
public sealed interface SagaReply<D> {

    /** The step is done; {@code data} is the saga's data from now on. */
    static <D> SagaReply<D> done(D data) {
        return new Done<>(data);
    }

    /** The participant said no, for {@code reason} (shown in the saga's timeline and as its failure). */
    static <D> SagaReply<D> refused(String reason) {
        return new Refused<>(reason);
    }

    /** See {@link #done}. */
    record Done<D>(D data) implements SagaReply<D> {
        public Done {
            Objects.requireNonNull(data, "a step's reply carries the saga data; it was null");
        }
    }

    /** See {@link #refused}. */
    record Refused<D>(String reason) implements SagaReply<D> {
        public Refused {
            if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a refusal needs a reason");
        }
    }
}
