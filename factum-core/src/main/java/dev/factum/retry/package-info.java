// SPDX-License-Identifier: Apache-2.0
/**
 * Retries and dead letters, one model for every hop: a {@link dev.factum.retry.RetryPolicy} (exponential backoff,
 * bounded attempts) decides when a failing message is tried again; when it runs out, the message becomes a
 * {@link dev.factum.retry.DeadLetter} kept by a {@link dev.factum.retry.DeadLetterStore} with its error and every
 * attempt, which an operator lists, inspects, replays or discards through {@link dev.factum.retry.DeadLetters}. No
 * nulls cross this API; absent values are {@code Optional}.
 */
package dev.factum.retry;
