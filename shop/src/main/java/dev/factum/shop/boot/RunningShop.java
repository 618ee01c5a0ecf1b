// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.boot;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A shop started by {@link ShopMain#start}: where it listens and where its events are. {@link #close()} closes what
 * the start opened in reverse order: the HTTP server first (its port is free once {@code close} returns), then the
 * projections, then the event store, so no file or connection of the shop stays open. Closing twice does nothing
 * more.
 *
 * @since 0.1
 */
public final class RunningShop implements AutoCloseable {
    private final URI uri;
    private final String where;
    private final List<AutoCloseable> resources;
    private boolean closed;

    /** {@code resources} in the order they were opened. */
    RunningShop(URI uri, String where, List<AutoCloseable> resources) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.where = Objects.requireNonNull(where, "where");
        this.resources = List.copyOf(resources);
    }

    /** {@code http://localhost:<port>}, with the bound port (the chosen one when started with port 0). */
    public URI uri() {
        return uri;
    }

    /** Where the events are, e.g. {@code SQLite /abs/path/shop.db} or {@code PostgreSQL}. */
    public String where() {
        return where;
    }

    /**
     * Stops the server, the projections and the stores; a failure to close one is reported on stderr and does not
     * keep the others open.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        ShopMain.closeAll(resources);
    }
}
