// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import java.util.Objects;

/**
 * A request answered with {@code problem} — whatever its status (400 for a request that cannot be read, 404 for an
 * unknown projection) — before any command or query runs. {@link ProblemMapping} writes the problem as is. Carries no
 * stack trace: it is an answer, not a fault.
 */
final class ProblemException extends RuntimeException {
    private final Problem problem;

    ProblemException(Problem problem) {
        super(Objects.requireNonNull(problem, "problem").detail(), null, false, false);
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
