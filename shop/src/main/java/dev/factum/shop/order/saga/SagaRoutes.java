// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaEvent;
import dev.factum.saga.SagaState;
import dev.factum.saga.SagaStatus;
import dev.factum.shop.http.Problem;
import dev.factum.shop.http.ProblemException;
import dev.factum.shop.http.RouteSet;
import dev.factum.shop.order.saga.view.SagaPage;
import dev.factum.shop.order.saga.view.SagaStatusQueries;
import dev.factum.shop.order.saga.view.SagaSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The saga endpoints (operators):
 * <ul>
 *   <li>{@code GET /sagas?status=&limit=&offset=} — the newest sagas first (limit default 100, at most 1000; offset
 *       default 0), optionally only those in one {@link SagaStatus}:
 *       {@code {"sagas":[{"id","saga","status","step","stepsDone","failure","lastError","deadLetter","startedAt",
 *       "updatedAt","version"}],"total","limit","offset"}}. Read from the saga status read model
 *       ({@link SagaStatusQueries}), so it trails the sagas' streams by the projection's lag; a bad status, limit or
 *       offset is 400 {@code invalid-query} naming the allowed values.</li>
 *   <li>{@code GET /sagas/{id}} — the saga's state replayed from its stream ({@link SagaEngine#find}, so always
 *       current) and its {@code timeline}: every transition (step, attempt, reply, compensation) with its time; 404
 *       {@code saga-not-found}.</li>
 *   <li>{@code POST /sagas/{id}/retry}, {@code POST /sagas/{id}/resolve} with an optional {@code {"note": "…"}}
 *       — operator actions on a parked ({@code NEEDS_ATTENTION}) saga; 409 {@code saga-not-parked} naming its status
 *       otherwise, 404 {@code saga-not-found} for an unknown id.</li>
 * </ul>
 *
 * @since 0.1
 */
public final class SagaRoutes implements RouteSet {
    private final SagaEngine<OrderSaga.Data> engine;
    private final SagaStatusQueries statuses;

    /** The endpoints over {@code engine}'s sagas, listed from {@code statuses} (the read model of the same sagas). */
    public SagaRoutes(SagaEngine<OrderSaga.Data> engine, SagaStatusQueries statuses) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.statuses = Objects.requireNonNull(statuses, "statuses");
    }

    @Override
    public void register(RoutesConfig routes, ObjectMapper mapper) {
        routes.get("/sagas", ctx -> {
            Optional<SagaStatus> status = status(ctx.queryParam("status"));
            int limit = limit(ctx.queryParam("limit"));
            long offset = offset(ctx.queryParam("offset"));
            SagaPage page = statuses.list(status, limit, offset);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sagas", page.items().stream().map(SagaRoutes::row).toList());
            body.put("total", page.total());
            body.put("limit", page.limit());
            body.put("offset", page.offset());
            answer(ctx, mapper, body);
        });
        routes.get("/sagas/{id}", ctx -> {
            SagaState<OrderSaga.Data> saga = found(ctx.pathParam("id"));
            Map<String, Object> body = summary(saga, mapper);
            List<ObjectNode> timeline = new ArrayList<>();
            for (SagaEvent event : engine.timeline(saga.id())) {
                ObjectNode entry = mapper.createObjectNode().put("type", event.getClass().getSimpleName());
                entry.setAll((ObjectNode) mapper.valueToTree(event));
                timeline.add(entry);
            }
            body.put("timeline", timeline);
            answer(ctx, mapper, body);
        });
        routes.post("/sagas/{id}/retry", ctx -> {
            String id = found(ctx.pathParam("id")).id();
            operate(() -> engine.retry(id, note(ctx, mapper)));
            answer(ctx, mapper, summary(found(id), mapper));
        });
        routes.post("/sagas/{id}/resolve", ctx -> {
            String id = found(ctx.pathParam("id")).id();
            operate(() -> engine.resolve(id, note(ctx, mapper)));
            answer(ctx, mapper, summary(found(id), mapper));
        });
    }

    private SagaState<OrderSaga.Data> found(String id) {
        return engine.find(id).orElseThrow(() -> new ProblemException(Problem.of(404, "saga-not-found",
                "Saga not found", "there is no order saga " + id)));
    }

    private static void operate(Runnable action) {
        try {
            action.run();
        } catch (IllegalStateException e) {
            throw new ProblemException(Problem.of(409, "saga-not-parked", "The saga is not parked", e.getMessage()));
        }
    }

    private static String note(Context ctx, ObjectMapper mapper) {
        if (ctx.body().isBlank()) return "by an operator over HTTP";
        try {
            var body = mapper.readTree(ctx.body());
            if (body == null || !body.isObject()) throw new IllegalArgumentException("not an object");
            var fields = body.fieldNames();
            while (fields.hasNext()) {
                String name = fields.next();
                if (!name.equals("note")) throw new ProblemException(Problem.of(400, "unknown-field", "Unknown field",
                        "unknown field '" + name + "'; the body is {\"note\": \"…\"}"));
            }
            var note = body.get("note");
            if (note == null || !note.isTextual() || note.asText().isBlank()) {
                throw new ProblemException(Problem.of(400, "invalid-field", "Missing or invalid field",
                        "'note' must be a non-blank string"));
            }
            return note.asText();
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON",
                    "the body must be {\"note\": \"…\"} or empty: " + e.getMessage()));
        }
    }

    private static Optional<SagaStatus> status(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        try {
            return Optional.of(SagaStatus.valueOf(text.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(400, "invalid-query", "Invalid query parameter",
                    "status must be one of " + Arrays.toString(SagaStatus.values()) + ", got '" + text + "'"));
        }
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) return 100;
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= SagaStatusQueries.MAX_LIMIT) return limit;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ProblemException(Problem.of(400, "invalid-query", "Invalid query parameter",
                "limit must be an integer from 1 to " + SagaStatusQueries.MAX_LIMIT + ", got '" + text + "'"));
    }

    private static long offset(String text) {
        if (text == null || text.isBlank()) return 0;
        try {
            long offset = Long.parseLong(text.strip());
            if (offset >= 0) return offset;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ProblemException(Problem.of(400, "invalid-query", "Invalid query parameter",
                "offset must be an integer of 0 or more, got '" + text + "'"));
    }

    /** One saga of the list, from the read model. */
    private static Map<String, Object> row(SagaSummary saga) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", saga.sagaId());
        body.put("saga", saga.saga());
        body.put("status", saga.status().name());
        body.put("step", saga.step().orElse(null));
        body.put("stepsDone", saga.stepsDone());
        body.put("failure", saga.failure().orElse(null));
        body.put("lastError", saga.lastError().orElse(null));
        body.put("deadLetter", saga.deadLetter().map(Object::toString).orElse(null));
        body.put("startedAt", saga.startedAt().toString());
        body.put("updatedAt", saga.updatedAt().toString());
        body.put("version", saga.version());
        return body;
    }

    private static Map<String, Object> summary(SagaState<OrderSaga.Data> saga, ObjectMapper mapper) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", saga.id());
        body.put("saga", OrderSaga.NAME);
        body.put("status", saga.status().name());
        body.put("stepsDone", saga.stepsDone());
        body.put("version", saga.version());
        body.put("failure", saga.failure().orElse(null));
        body.put("deadLetter", saga.deadLetter().map(Object::toString).orElse(null));
        body.put("retryAt", saga.retryAt().map(Object::toString).orElse(null));
        body.put("open", saga.open().map(mapper::valueToTree).orElse(null));
        body.put("data", mapper.valueToTree(saga.data()));
        return body;
    }

    private static void answer(Context ctx, ObjectMapper mapper, Object body) throws Exception {
        ctx.contentType("application/json").result(mapper.writeValueAsString(body));
    }
}
