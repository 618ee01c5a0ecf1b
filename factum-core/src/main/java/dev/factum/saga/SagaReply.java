// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

import java.util.Objects;

/**
 * What a step's action answers: {@link Done} with the saga's new data, or {@link Refused} — a participant's business
 * "no" (out of stock, payment declined). A refusal is an answer, not an error: it is not retried and it starts the
 * compensation of the completed steps at once. Technical failures are exceptions — or, from a remote participant,
 * {@link Failed} — and are retried by the step's {@link dev.factum.retry.RetryPolicy} (a compensation's by the saga's
 * compensation policy).
 *
 * <p>A step whose participant is remote sends its request (see {@link SagaMessages}) and answers {@link #awaiting()}:
 * the attempt stays open until the participant's reply is delivered with {@link SagaEngine#deliver} (or through
 * {@link SagaEngine#replyHandler()}), or until its deadline passes and the step's retry policy applies.
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

    /**
     * The request was sent; the participant answers later. The engine records {@link SagaEvent.StepAwaiting} and keeps
     * the attempt open until the reply for this saga, step and attempt is delivered or the attempt's deadline passes.
     * Only for a step's action: a compensation is local.
     */
    static <D> SagaReply<D> awaiting() {
        return new Awaiting<>();
    }

    /**
     * The participant could not do it for a technical reason ({@code error}): a failed attempt like a thrown exception,
     * retried by the step's policy (for a compensation, by the compensation policy, then parked). A remote participant
     * answers so instead of leaving the attempt to time out.
     */
    static <D> SagaReply<D> failed(String error) {
        return new Failed<>(error);
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

    /** See {@link #failed}. */
    record Failed<D>(String error) implements SagaReply<D> {
        public Failed {
            if (error == null || error.isBlank()) throw new IllegalArgumentException("a failure needs its error");
        }
    }

    /** See {@link #awaiting}. */
    record Awaiting<D>() implements SagaReply<D> {}
}
