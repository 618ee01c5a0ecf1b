// SPDX-License-Identifier: Apache-2.0
package dev.factum.subscription;

import java.time.Duration;

/**
 * A small hook for metrics: called by a subscription after each committed batch and when it fails. Adapters to
 * Micrometer and others live outside {@code factum-core}. Called on the subscription's thread: keep it quick.
 *
 * @since 0.1
 */
public interface SubscriptionMetrics {
    SubscriptionMetrics NONE = new SubscriptionMetrics() {
    };

    /** A batch was handled and its checkpoint committed. */
    default void batchHandled(String subscription, int events, Duration took, SubscriptionStatus status) {
    }

    /** The handler failed; the subscription stopped. */
    default void failed(String subscription, Throwable error) {
    }
}
