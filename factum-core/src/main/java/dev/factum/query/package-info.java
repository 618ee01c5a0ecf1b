// SPDX-License-Identifier: Apache-2.0
/**
 * The read side's entry point: a {@link dev.factum.query.QueryBus} routes each {@link dev.factum.query.Query} record to
 * exactly one {@link dev.factum.query.QueryHandler} and returns its typed result, so that callers (an HTTP resource,
 * a test) ask for read models without knowing where they live. A query has no effect. Nullness: no nulls cross this
 * API; absent means {@code Optional} (a query for one thing that may not exist answers an {@code Optional}).
 */
package dev.factum.query;
