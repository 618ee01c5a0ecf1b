// SPDX-License-Identifier: Apache-2.0
package dev.factum.query;

/**
 * Marker of a query record whose answer has type {@code R}, so that {@link QueryBus#ask(Query)} is typed without
 * casts at the call site: {@code record AccountById(String id) implements Query<Optional<AccountView>>}. A query asks;
 * it never changes anything.
 *
 * @param <R> the type of the answer; never {@code null} (use {@code Optional} for "maybe absent")
 * @since 0.1
 */
public interface Query<R> {
}
