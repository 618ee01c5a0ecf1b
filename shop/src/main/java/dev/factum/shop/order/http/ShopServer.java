// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.command.CommandBus;
import dev.factum.shop.order.app.OrderService;
import io.javalin.Javalin;

import dev.factum.shop.http.RouteSet;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shop's HTTP server: the Order API ({@link OrderRoutes}) on Javalin, errors as problem+json
 * ({@link ProblemMapping}). {@link #start} binds and returns once it accepts requests; {@link #close} stops it.
 *
 * <p>Endpoints: {@code GET /health}; {@code POST /orders} (201, {@code Location}, {@code ETag});
 * {@code GET /orders/{id}}; {@code POST /orders/{id}/items}, {@code DELETE /orders/{id}/items/{sku}},
 * {@code POST /orders/{id}/submit|payments|shipment|delivery|cancel}, each honouring {@code If-Match}; with an
 * {@link OrderReadSide}, also {@code GET /orders?status=&customerId=&page=&size=}, {@code GET /orders/{id}/events}
 * and {@code GET /projections}, {@code POST /projections/{name}/rebuild} (202). An unknown route is a 404 and a
 * method a known path does not allow a 405, both problem+json.
 *
 * @since 0.1
 */
public final class ShopServer implements AutoCloseable {
    private final Javalin app;

    private ShopServer(Javalin app) {
        this.app = app;
    }

    /**
     * Starts a server whose writes go through {@code bus} (which must have {@code orders}' handlers registered) and
     * whose reads of one order come from {@code orders}. With {@code reads}, it also serves {@code GET /orders},
     * {@code GET /orders/{id}/events} and {@code GET /projections} from those read models.
     *
     * @throws io.javalin.util.JavalinBindException if the port is taken
     */
    public static ShopServer start(CommandBus bus, OrderService orders, Optional<OrderReadSide> reads,
                                   HttpOptions options) {
        return start(bus, orders, reads, options, List.of());
    }

    /**
     * As {@link #start(CommandBus, OrderService, Optional, HttpOptions)}, with the endpoints of other contexts
     * ({@code more}) added.
     */
    public static ShopServer start(CommandBus bus, OrderService orders, Optional<OrderReadSide> reads,
                                   HttpOptions options, List<RouteSet> more) {
        Objects.requireNonNull(more, "more");
        Objects.requireNonNull(reads, "reads");
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(orders, "orders");
        Objects.requireNonNull(options, "options");
        ObjectMapper mapper = OrderRoutes.responseMapper();
        OrderRoutes routes = new OrderRoutes(bus, orders, mapper);
        Javalin app = Javalin.create(config -> {
            config.http.maxRequestSize = options.maxRequestBytes();
            config.http.generateEtags = false;
            config.http.prefer405over404 = true; // a known path with another method: 405, not 404
            config.startup.showJavalinBanner = false;
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            routes.register(config.routes);
            reads.ifPresent(side -> new ReadRoutes(side, mapper).register(config.routes));
            more.forEach(set -> set.register(config.routes, mapper));
            ProblemMapping.register(config.routes, mapper);
        });
        app.start();
        return new ShopServer(app);
    }

    /** The port it listens on (the chosen one when started with port 0). */
    public int port() {
        return app.port();
    }

    /** {@code http://localhost:<port>}. */
    public URI uri() {
        return URI.create("http://localhost:" + port());
    }

    /** Stops accepting requests and stops the server. */
    @Override
    public void close() {
        app.stop();
    }

    static String json(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
