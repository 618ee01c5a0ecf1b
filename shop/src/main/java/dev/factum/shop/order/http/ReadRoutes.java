// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import dev.factum.shop.http.Problem;
import dev.factum.shop.http.ProblemException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.factum.aggregate.RuleViolationException;
import dev.factum.shop.order.domain.OrderRules;
import dev.factum.shop.order.domain.OrderStatus;
import dev.factum.shop.order.view.GetOrder;
import dev.factum.shop.order.view.ListOrders;
import dev.factum.shop.order.view.OrderDetail;
import dev.factum.shop.order.view.OrderPage;
import dev.factum.shop.order.view.OrderSummary;
import dev.factum.subscription.ProjectionStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /orders}, {@code GET /orders/{id}/events} and {@code GET /projections}, answered from the read side, and
 * {@code POST /projections/{name}/rebuild} (202 with the projection's status; 404 for an unknown projection).
 */
final class ReadRoutes {
    private final OrderReadSide reads;
    private final ObjectMapper mapper;

    ReadRoutes(OrderReadSide reads, ObjectMapper mapper) {
        this.reads = reads;
        this.mapper = mapper;
    }

    void register(RoutesConfig routes) {
        routes.get("/orders", this::list);
        routes.get("/orders/{id}/events", this::events);
        routes.get("/projections", ctx -> answer(ctx, Map.of("projections",
                reads.projections().statuses().stream().map(ReadRoutes::status).toList())));
        routes.post("/projections/{name}/rebuild", this::rebuild);
    }

    private void rebuild(Context ctx) {
        String name = ctx.pathParam("name");
        if (!reads.projections().names().contains(name)) {
            throw new ProblemException(Problem.of(404, "projection-not-found", "Projection not found",
                    "no projection named '" + name + "'; known: " + reads.projections().names()));
        }
        int generation = reads.projections().rebuild(name);
        Map<String, Object> body = status(reads.projections().status(name));
        body.put("rebuildGeneration", generation);
        ctx.status(202);
        answer(ctx, body);
    }

    private void list(Context ctx) {
        Optional<OrderStatus> status;
        int page;
        int size;
        try {
            status = Optional.ofNullable(ctx.queryParam("status")).map(s -> OrderStatus.valueOf(s.toUpperCase(Locale.ROOT)));
            page = Integer.parseInt(Optional.ofNullable(ctx.queryParam("page")).orElse("0"));
            size = Integer.parseInt(Optional.ofNullable(ctx.queryParam("size")).orElse("20"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(400, "invalid-query", "Invalid query parameter",
                    "status must be one of " + List.of(OrderStatus.values()) + ", page and size integers: " + e.getMessage()));
        }
        ListOrders query;
        try {
            query = new ListOrders(status, Optional.ofNullable(ctx.queryParam("customerId")), page, size);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(400, "invalid-query", "Invalid query parameter", e.getMessage()));
        }
        OrderPage result = reads.queries().ask(query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", result.items().stream().map(ReadRoutes::summary).toList());
        body.put("total", result.total());
        body.put("page", result.page());
        body.put("size", result.size());
        answer(ctx, body);
    }

    private void events(Context ctx) {
        String id = ctx.pathParam("id");
        OrderDetail detail = reads.queries().ask(new GetOrder(id)).orElseThrow(() -> new RuleViolationException(
                OrderRules.ORDER_NOT_FOUND, "order " + id + " does not exist (or is not in the read model yet)"));
        List<Map<String, Object>> events = detail.history().stream().map(entry -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("eventId", entry.eventId().toString());
            event.put("type", entry.type());
            event.put("version", entry.version());
            event.put("position", entry.position().value());
            event.put("recordedAt", entry.recordedAt().toString());
            event.put("correlationId", entry.correlationId());
            event.put("causationId", entry.causationId());
            entry.userId().ifPresent(user -> event.put("userId", user));
            event.put("data", new RawValue(entry.payload())); // stored text as is: exact decimals
            return event;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", id);
        body.put("events", events);
        answer(ctx, body);
    }

    private static Map<String, Object> summary(OrderSummary summary) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", summary.orderId());
        row.put("customerId", summary.customerId());
        row.put("currency", summary.currency());
        row.put("status", summary.status().name());
        row.put("total", summary.total().toPlainString());
        row.put("itemCount", summary.itemCount());
        row.put("version", summary.version());
        row.put("lastUpdated", summary.lastUpdated().toString());
        return row;
    }

    private static Map<String, Object> status(ProjectionStatus status) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", status.name());
        row.put("state", status.state().name());
        row.put("activeGeneration", status.activeGeneration());
        row.put("checkpoint", status.checkpoint().value());
        row.put("lagEvents", status.lagEvents());
        row.put("lag", status.lag().toString());
        status.error().ifPresent(error -> row.put("error", error));
        row.put("rebuilding", status.rebuild().isPresent());
        status.rebuild().ifPresent(rebuild -> {
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("generation", rebuild.generation());
            progress.put("checkpoint", rebuild.position().value());
            progress.put("head", rebuild.head().value());
            progress.put("progress", rebuild.progress());
            row.put("rebuild", progress);
        });
        return row;
    }

    private void answer(Context ctx, Object body) {
        ctx.result(ShopServer.json(mapper, body)).contentType("application/json");
    }
}
