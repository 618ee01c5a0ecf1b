// SPDX-License-Identifier: Apache-2.0
package dev.factum.query;

/**
 * Answers one type of query, usually from a read model. Must not change state; exceptions propagate to the asker.
 *
 * @param <Q> the query type
 * @param <R> the answer type; a handler never returns {@code null}
 * @since 0.1
 */
@FunctionalInterface
public interface QueryHandler<Q extends Query<R>, R> {
    R handle(Q query);
}
