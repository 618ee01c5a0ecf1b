// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

import java.time.Duration;

/**
 * Waits between attempts. {@link #SYSTEM} sleeps the thread; tests pass one that advances a controllable clock and
 * records the waits, so backoff timing is checked without sleeping.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = duration -> Thread.sleep(duration);

    void sleep(Duration duration) throws InterruptedException;
}
