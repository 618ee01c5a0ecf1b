// SPDX-License-Identifier: Apache-2.0
package dev.factum.saga;

/**
 * Where a saga is. {@code RUNNING} and {@code COMPENSATING} are in flight (the engine drives them); the others wait
 * for nobody but an operator.
 *
 * @since 0.1
 */
public enum SagaStatus {
    /** Steps are being run forward. */
    RUNNING,
    /** A step failed for good or was refused; completed steps are being compensated in reverse order. */
    COMPENSATING,
    /** Every step succeeded. */
    COMPLETED,
    /** A step failed or was refused and every completed step was compensated. */
    COMPENSATED,
    /** A compensation kept failing: parked with a dead letter until an operator retries or resolves it. */
    NEEDS_ATTENTION,
    /** An operator resolved a parked saga by hand. */
    RESOLVED;

    /** Whether the engine still drives a saga in this state. */
    public boolean inFlight() {
        return this == RUNNING || this == COMPENSATING;
    }
}
