// SPDX-License-Identifier: Apache-2.0
package dev.factum.query;

import dev.factum.command.NoHandlerException;
import dev.factum.command.internal.HandlerRoutes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Routes each query to exactly one {@link QueryHandler} and returns its typed answer; the read-side twin of
 * {@link dev.factum.command.CommandBus}. Blocking, on the asker's thread.
 *
 * <p>Routing is by the query's class: the handler registered for that class, else the one registered for the most
 * specific of its supertypes. Refused: a second handler for the same type ({@link IllegalStateException} at
 * registration), a query with no handler ({@link NoHandlerException}), a query matched by several unrelated
 * supertypes ({@link IllegalStateException}), a handler answering {@code null} ({@link IllegalStateException}).
 * Handlers are fixed when the bus is built.
 *
 * @since 0.1
 */
public final class QueryBus {
    private final HandlerRoutes<QueryHandler<?, ?>> routes;

    private QueryBus(Builder b) {
        this.routes = new HandlerRoutes<>(b.handlers);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Asks a query and returns its handler's answer.
     *
     * @throws NoHandlerException no handler is registered for the query's type
     * @throws RuntimeException   whatever the handler threw, unchanged
     */
    public <R> R ask(Query<R> query) {
        Objects.requireNonNull(query, "query");
        @SuppressWarnings({"unchecked", "rawtypes"})
        R answer = (R) ((QueryHandler) route(query.getClass())).handle(query);
        if (answer == null) throw new IllegalStateException("the handler of " + query.getClass().getName() + " returned null");
        return answer;
    }

    /** The query types this bus has handlers for. */
    public java.util.Set<Class<?>> queryTypes() {
        return routes.types();
    }

    private QueryHandler<?, ?> route(Class<?> type) {
        return routes.route(type);
    }

    /**
     * Collects handlers; {@link #build()} fixes them. Not thread-safe; use it from one thread.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final Map<Class<?>, QueryHandler<?, ?>> handlers = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Registers the handler of one query type.
         *
         * @throws IllegalStateException a handler is already registered for this type
         */
        public <Q extends Query<R>, R> Builder handler(Class<Q> type, QueryHandler<Q, R> handler) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
            if (handlers.putIfAbsent(type, handler) != null) {
                throw new IllegalStateException("a handler is already registered for " + type.getName());
            }
            return this;
        }

        public QueryBus build() {
            return new QueryBus(this);
        }
    }
}
