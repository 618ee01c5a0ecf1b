// SPDX-License-Identifier: Apache-2.0
package dev.factum.benchmarks;

/** One side of a workload (Factum, or the raw-driver limit): a fresh run over {@code events} events, timed. */
interface Side {

    /**
     * Prepares a fresh target (schema, file), runs the timed part, and cleans up; only the work between the start and
     * the end of the measured part is in the returned {@link Measurement}.
     */
    Measurement run(long events) throws Exception;
}
