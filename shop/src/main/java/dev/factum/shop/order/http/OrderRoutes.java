// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import dev.factum.shop.http.Problem;
import dev.factum.shop.http.ProblemException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.factum.command.CommandBus;
import dev.factum.command.CommandContext;
import dev.factum.event.codec.EventCodec;
import dev.factum.shop.order.app.ExpectingVersion;
import dev.factum.shop.order.app.OrderService;
import dev.factum.shop.order.domain.OrderCommand;
import dev.factum.shop.order.domain.OrderCommand.AddItem;
import dev.factum.shop.order.domain.OrderCommand.CancelOrder;
import dev.factum.shop.order.domain.OrderCommand.CreateOrder;
import dev.factum.shop.order.domain.OrderCommand.DeliverOrder;
import dev.factum.shop.order.domain.OrderCommand.PayOrder;
import dev.factum.shop.order.domain.OrderCommand.RemoveItem;
import dev.factum.shop.order.domain.OrderCommand.ShipOrder;
import dev.factum.shop.order.domain.OrderCommand.SubmitOrder;
import dev.factum.shop.order.domain.OrderResult;
import dev.factum.shop.order.domain.OrderRules;
import dev.factum.aggregate.RuleViolationException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Order endpoints: parse the request strictly, send one command, answer the order with its {@code ETag}. */
final class OrderRoutes {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern VISIBLE_ASCII = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern STRONG_ETAG = Pattern.compile("\"([1-9][0-9]{0,17})\"");

    private final CommandBus bus;
    private final OrderService orders;
    private final ObjectMapper responses;
    private final ObjectMapper requests = requestMapper();

    OrderRoutes(CommandBus bus, OrderService orders, ObjectMapper responses) {
        this.bus = bus;
        this.orders = orders;
        this.responses = responses;
    }

    /** The core's mapper, used for every response body. */
    static ObjectMapper responseMapper() {
        return EventCodec.defaultMapper();
    }

    /** The core's mapper made strict: unknown, missing or null fields, wrong types and trailing tokens all fail. */
    static ObjectMapper requestMapper() {
        ObjectMapper mapper = EventCodec.defaultMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    void register(RoutesConfig routes) {
        routes.get("/health", ctx -> ctx.result(ShopServer.json(responses, Map.of("status", "UP")))
                .contentType("application/json"));
        routes.post("/orders", this::create);
        routes.get("/orders/{id}", this::find);
        routes.post("/orders/{id}/items", ctx -> send(ctx, id -> {
            OrderJson.Line line = read(ctx, OrderJson.Line.class);
            return new AddItem(id, line.sku(), line.quantity(), line.unitPrice());
        }));
        routes.delete("/orders/{id}/items/{sku}", ctx -> send(ctx, id -> new RemoveItem(id, ctx.pathParam("sku"))));
        routes.post("/orders/{id}/submit", ctx -> send(ctx, SubmitOrder::new));
        routes.post("/orders/{id}/payments", ctx -> send(ctx, id -> {
            OrderJson.PaymentRequest payment = read(ctx, OrderJson.PaymentRequest.class);
            return new PayOrder(id, payment.paymentId(), payment.amount());
        }));
        routes.post("/orders/{id}/shipment", ctx -> send(ctx, id -> {
            OrderJson.ShipmentRequest shipment = read(ctx, OrderJson.ShipmentRequest.class);
            return new ShipOrder(id, shipment.trackingNumber(), shipment.carrier());
        }));
        routes.post("/orders/{id}/delivery", ctx -> send(ctx, DeliverOrder::new));
        routes.post("/orders/{id}/cancel", ctx -> send(ctx, id -> {
            OrderJson.CancelRequest cancel = read(ctx, OrderJson.CancelRequest.class);
            return new CancelOrder(id, cancel.reason());
        }));
    }

    private void create(Context ctx) {
        OrderJson.CreateRequest request = read(ctx, OrderJson.CreateRequest.class);
        String id = UUID.randomUUID().toString();
        OrderResult result = bus.send(new CreateOrder(id, request.customerId(), request.currency(),
                request.items().stream().map(OrderJson.Line::toLine).toList()), context(ctx));
        // with an Idempotency-Key resent, the result is the first request's order, not the id drawn this time
        answer(ctx.status(201).header("Location", "/orders/" + result.orderId()), result);
    }

    private void find(Context ctx) {
        String id = ctx.pathParam("id");
        var loaded = orders.find(id).orElseThrow(() -> new RuleViolationException(OrderRules.ORDER_NOT_FOUND,
                "order " + id + " does not exist"));
        ctx.header("ETag", etag(loaded.version()));
        ctx.result(ShopServer.json(responses, OrderJson.OrderView.of(id, loaded.version(), loaded.state())))
                .contentType("application/json");
    }

    private void send(Context ctx, Function<String, OrderCommand> command) {
        OptionalLong expected = ifMatch(ctx);
        OrderCommand order = command.apply(ctx.pathParam("id"));
        OrderResult result = expected.isPresent()
                ? bus.send(new ExpectingVersion(order, expected.getAsLong()), context(ctx))
                : bus.send(order, context(ctx));
        answer(ctx, result);
    }

    private void answer(Context ctx, OrderResult result) {
        ctx.header("ETag", etag(result.version()));
        ctx.result(ShopServer.json(responses, OrderJson.OrderView.of(result.orderId(), result.version(), result.state())))
                .contentType("application/json");
    }

    private <T> T read(Context ctx, Class<T> type) {
        try {
            return requests.readValue(ctx.body(), type);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemMapping.fromJson(e));
        }
    }

    /**
     * The command's context: a fresh command id, or with an {@code Idempotency-Key} header (1-255 visible ASCII
     * characters) an id derived from the key, the method and the path, so a resent request is answered with the
     * first one's result and has no second effect (the command bus's idempotency by command id).
     */
    static CommandContext context(Context ctx) {
        String key = ctx.header(IDEMPOTENCY_KEY);
        if (key == null) return CommandContext.create();
        if (!VISIBLE_ASCII.matcher(key).matches()) {
            throw new ProblemException(Problem.of(400, "invalid-idempotency-key", "Invalid Idempotency-Key header",
                    IDEMPOTENCY_KEY + " must be 1-255 visible ASCII characters"));
        }
        String scoped = ctx.method().name() + " " + ctx.path() + "\n" + key;
        return CommandContext.withId(UUID.nameUUIDFromBytes(scoped.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The version in {@code If-Match: "<version>"}; empty without the header; 400 for anything else. */
    private static OptionalLong ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null) return OptionalLong.empty();
        Matcher matcher = STRONG_ETAG.matcher(header.strip());
        if (!matcher.matches()) {
            throw new ProblemException(Problem.of(400, "invalid-if-match", "Invalid If-Match header",
                    "If-Match must be one strong ETag of this API, like \"3\"; was " + header));
        }
        return OptionalLong.of(Long.parseLong(matcher.group(1)));
    }
}
