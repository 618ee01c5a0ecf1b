// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.factum.event.RecordedEvent;
import dev.factum.saga.SagaEngine;
import dev.factum.saga.SagaEvent;
import dev.factum.saga.SagaState;
import dev.factum.saga.SagaStatus;
import dev.factum.shop.http.Problem;
import dev.factum.shop.http.ProblemException;
import dev.factum.shop.http.RouteSet;
import dev.factum.store.EventStore;
import dev.factum.store.Position;
import dev.factum.store.ReadAllOptions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The saga endpoints (operators):
 * <ul>
 *   <li>{@code GET /sagas?status=&limit=} — the newest sagas first (default 100, at most 1000), optionally only those
 *       in one {@link SagaStatus}: {@code {"sagas":[{"id","status","stepsDone","failure",…}]}}. Listed by reading the
 *       saga category's {@code SagaStarted} events from the store's global log and replaying each saga
 *       ({@link SagaEngine#find}) on each request: exact and current without a projection, its cost growing with
 *       the number of sagas — fine for an operator's look; a busy shop would add a read model.</li>
 *   <li>{@code GET /sagas/{id}} — the saga's state and its {@code timeline}: every transition (step, attempt,
 *       reply, compensation) with its time; 404 {@code saga-not-found}.</li>
 *   <li>{@code POST /sagas/{id}/retry}, {@code POST /sagas/{id}/resolve} with an optional {@code {"note": "…"}}
 *       — operator actions on a parked ({@code NEEDS_ATTENTION}) saga; 409 {@code saga-not-parked} otherwise.</li>
 * </ul>
 *
 * @since 0.1
 */
public final class SagaRoutes implements RouteSet {
    private static final int PAGE = 1000;
    private final EventStore store;
    private final SagaEngine<OrderSaga.Data> engine;

    public SagaRoutes(EventStore store, SagaEngine<OrderSaga.Data> engine) {
        this.store = store;
        this.engine = engine;
    }

    @Override
    public void register(RoutesConfig routes, ObjectMapper mapper) {
        routes.get("/sagas", ctx -> {
            Optional<SagaStatus> status = status(ctx.queryParam("status"));
            int limit = limit(ctx.queryParam("limit"));
            List<Map<String, Object>> sagas = new ArrayList<>();
            for (String id : newestFirst()) {
                if (sagas.size() >= limit) break;
                engine.find(id).filter(s -> status.isEmpty() || s.status() == status.get())
                        .ifPresent(s -> sagas.add(summary(s, mapper)));
            }
            answer(ctx, mapper, Map.of("sagas", sagas));
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

    private List<String> newestFirst() {
        List<String> ids = new ArrayList<>();
        Position after = Position.BEGINNING;
        while (true) {
            List<RecordedEvent> page = store.readAll(ReadAllOptions.after(after).category(OrderSaga.NAME).limit(PAGE));
            for (RecordedEvent event : page) {
                if (event.type().equals("SagaStarted")) ids.add(event.stream().id());
            }
            if (page.size() < PAGE) break;
            after = page.get(page.size() - 1).position();
        }
        Collections.reverse(ids);
        return ids;
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
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= 1000) return limit;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ProblemException(Problem.of(400, "invalid-query", "Invalid query parameter",
                "limit must be an integer from 1 to 1000, got '" + text + "'"));
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
