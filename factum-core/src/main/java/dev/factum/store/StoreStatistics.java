// SPDX-License-Identifier: Apache-2.0
package dev.factum.store;

import java.util.Map;

/**
 * Counts for operators, as printed by {@code factum stats}.
 *
 * @param events          events stored
 * @param streams         streams with at least one event
 * @param head            position of the last visible event
 * @param eventsByCategory events per stream category
 * @param description     the store's kind and location, without secrets (e.g. "sqlite ./data/factum.db")
 * @since 0.1
 */
public record StoreStatistics(long events, long streams, Position head, Map<String, Long> eventsByCategory,
                              String description) {
}
