// SPDX-License-Identifier: Apache-2.0
package dev.factum.command.internal;

import dev.factum.command.NoHandlerException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routing shared by the command and query buses: a message goes to the handler registered for its class, else to the
 * handler of its most specific registered supertype (so one handler can take a sealed interface of messages). The
 * answer is cached per class. Not for applications.
 *
 * @param <H> the handler type
 */
public final class HandlerRoutes<H> {
    private final Map<Class<?>, H> handlers;
    private final ConcurrentHashMap<Class<?>, H> routes = new ConcurrentHashMap<>();

    public HandlerRoutes(Map<Class<?>, H> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    /** The registered message types. */
    public Set<Class<?>> types() {
        return handlers.keySet();
    }

    /**
     * The handler for {@code type}.
     *
     * @throws NoHandlerException    if no registered type is {@code type} or a supertype of it
     * @throws IllegalStateException if it matches handlers of two unrelated supertypes
     */
    public H route(Class<?> type) {
        H found = routes.get(type);
        if (found != null) return found;
        found = handlers.get(type);
        if (found == null) {
            List<Class<?>> candidates = new ArrayList<>();
            for (Class<?> registered : handlers.keySet()) {
                if (registered.isAssignableFrom(type)) candidates.add(registered);
            }
            // keep the most specific: drop every candidate that is a supertype of another one
            candidates.removeIf(c -> candidates.stream().anyMatch(o -> o != c && c.isAssignableFrom(o)));
            if (candidates.isEmpty()) throw new NoHandlerException(type);
            if (candidates.size() > 1) {
                throw new IllegalStateException(type.getName() + " matches handlers of unrelated supertypes " + candidates);
            }
            found = handlers.get(candidates.getFirst());
        }
        routes.put(type, found);
        return found;
    }
}
