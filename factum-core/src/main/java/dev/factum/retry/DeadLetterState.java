// SPDX-License-Identifier: Apache-2.0
package dev.factum.retry;

/**
 * Where a dead letter is in its life: {@code PARKED} until an operator acts, then {@code REPLAYED} (its consumer
 * handled it) or {@code DISCARDED} (with a reason). Only a parked letter can be replayed or discarded.
 *
 * @since 0.1
 */
public enum DeadLetterState {
    PARKED, REPLAYED, DISCARDED
}
