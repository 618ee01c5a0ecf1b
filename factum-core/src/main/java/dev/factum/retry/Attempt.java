// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import java.time.Instant;
import java.util.Objects;

/**
 * One failed try of a message: its number (1 = the first delivery), when it ran, and its error.
 *
 * @since 0.1
 */
public record Attempt(int number, Instant at, String error) {
    public Attempt {
        if (number < 1) throw new IllegalArgumentException("attempt number must be >= 1, was " + number);
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(error, "error");
    }
}
