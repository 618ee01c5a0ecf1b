// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.http;

import java.util.Objects;

/**
 * A request answered with {@code problem} — whatever its status (400 for a request that cannot be read, 404 for an
 * unknown projection) — before any command or query runs. The server writes the problem as is. Carries no
 * stack trace: it is an answer, not a fault.
 *
 * @since 0.1
 */
public final class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(Problem problem) {
        super(Objects.requireNonNull(problem, "problem").detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
