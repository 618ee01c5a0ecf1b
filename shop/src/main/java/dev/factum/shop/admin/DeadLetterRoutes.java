// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.retry.Attempt;
import dev.factum.retry.DeadLetter;
import dev.factum.retry.DeadLetterNotFoundException;
import dev.factum.retry.DeadLetterQuery;
import dev.factum.retry.DeadLetterState;
import dev.factum.retry.DeadLetters;
import dev.factum.shop.http.Problem;
import dev.factum.shop.http.ProblemException;
import dev.factum.shop.http.RouteSet;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The dead-letter admin API over {@link DeadLetters}:
 * <ul>
 *   <li>{@code GET /dead-letters?consumer=&type=&state=&olderThan=&limit=} — newest first; {@code state} one of
 *       {@code PARKED}, {@code REPLAY_REQUESTED}, {@code REPLAYED}, {@code DISCARDED}; {@code olderThan} an ISO-8601 duration ({@code PT1H}: died
 *       more than an hour ago); {@code limit} 1–1,000 (default 100)</li>
 *   <li>{@code GET /dead-letters/{id}} — the letter in full: message headers and body, reason, stack summary, attempts</li>
 *   <li>{@code POST /dead-letters/{id}/replay} — hands the message to its consumer once: 200 and the letter
 *       ({@code REPLAYED}); 422 {@code replay-failed} if the consumer failed again (the letter stays parked with one
 *       more attempt)</li>
 *   <li>{@code POST /dead-letters/{id}/discard} {@code {"reason":"…"}} — 200 and the letter ({@code DISCARDED})</li>
 * </ul>
 * Errors: 400 a malformed id, filter or body; 404 no such letter; 409 a letter that is not parked any more, or whose
 * consumer does not run in this process.
 *
 * @since 0.1
 */
public final class DeadLetterRoutes implements RouteSet {
    private final DeadLetters deadLetters;
    private final Clock clock;

    public DeadLetterRoutes(DeadLetters deadLetters, Clock clock) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void register(RoutesConfig routes, ObjectMapper mapper) {
        routes.get("/dead-letters", ctx -> answer(ctx, mapper, Map.of("deadLetters",
                deadLetters.list(query(ctx)).stream().map(DeadLetterRoutes::summary).toList())));
        routes.get("/dead-letters/{id}", ctx -> answer(ctx, mapper, full(find(ctx))));
        routes.post("/dead-letters/{id}/replay", ctx -> {
            UUID id = id(ctx);
            try {
                answer(ctx, mapper, full(deadLetters.replay(id)));
            } catch (DeadLetters.ReplayFailedException e) {
                throw new ProblemException(Problem.of(422, "replay-failed", "The consumer failed again",
                        e.getMessage() + "; the letter stays parked"));
            } catch (IllegalStateException e) {
                throw conflict(e);
            } catch (DeadLetterNotFoundException e) {
                throw notFound(id);
            }
        });
        routes.post("/dead-letters/{id}/discard", ctx -> {
            UUID id = id(ctx);
            String reason = reason(ctx, mapper);
            try {
                answer(ctx, mapper, full(deadLetters.discard(id, reason)));
            } catch (IllegalStateException e) {
                throw conflict(e);
            } catch (DeadLetterNotFoundException e) {
                throw notFound(id);
            }
        });
    }

    private DeadLetterQuery query(Context ctx) {
        DeadLetterQuery query = DeadLetterQuery.all();
        try {
            String consumer = ctx.queryParam("consumer");
            if (consumer != null) query = query.consumer(consumer);
            String type = ctx.queryParam("type");
            if (type != null) query = query.type(type);
            String state = ctx.queryParam("state");
            if (state != null) query = query.state(DeadLetterState.valueOf(state.toUpperCase(Locale.ROOT)));
            String olderThan = ctx.queryParam("olderThan");
            if (olderThan != null) query = query.deadBefore(clock.instant().minus(Duration.parse(olderThan)));
            String limit = ctx.queryParam("limit");
            if (limit != null) query = query.limit(Integer.parseInt(limit));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ProblemException(Problem.of(400, "invalid-query", "Invalid query parameter",
                    "state must be one of PARKED, REPLAY_REQUESTED, REPLAYED, DISCARDED; olderThan an ISO-8601 duration such as PT1H; "
                            + "limit an integer 1-1000: " + e.getMessage()));
        }
        return query;
    }

    private DeadLetter find(Context ctx) {
        UUID id = id(ctx);
        try {
            return deadLetters.inspect(id);
        } catch (DeadLetterNotFoundException e) {
            throw notFound(id);
        }
    }

    private static UUID id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(400, "invalid-id", "Invalid dead letter id",
                    "'" + text + "' is not a UUID"));
        }
    }

    private static String reason(Context ctx, ObjectMapper mapper) {
        JsonNode body;
        try {
            body = mapper.readTree(ctx.body());
        } catch (Exception e) {
            throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON",
                    "the body must be {\"reason\":\"...\"}: " + e.getMessage()));
        }
        JsonNode reason = body == null ? null : body.get("reason");
        if (reason == null || !reason.isTextual() || reason.asText().isBlank()) {
            throw new ProblemException(Problem.of(400, "invalid-field", "Invalid field",
                    "a discard needs a non-blank string 'reason'"));
        }
        return reason.asText();
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(Problem.of(404, "dead-letter-not-found", "Dead letter not found",
                "no dead letter " + id));
    }

    private static ProblemException conflict(IllegalStateException e) {
        return new ProblemException(Problem.of(409, "dead-letter-conflict", "The dead letter cannot be changed so",
                e.getMessage()));
    }

    private static Map<String, Object> summary(DeadLetter letter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", letter.id().toString());
        body.put("consumer", letter.consumer());
        letter.messageType().ifPresent(t -> body.put("type", t));
        letter.messageId().ifPresent(m -> body.put("messageId", m));
        body.put("reason", letter.reason());
        body.put("attempts", letter.attempts().size());
        body.put("deadAt", letter.deadAt().toString());
        body.put("state", letter.state().name());
        return body;
    }

    private static Map<String, Object> full(DeadLetter letter) {
        Map<String, Object> body = summary(letter);
        body.put("attempts", letter.attempts().stream().map(DeadLetterRoutes::attempt).toList());
        body.put("headers", letter.headers());
        body.put("body", letter.body());
        body.put("stackSummary", letter.stackSummary());
        letter.resolution().ifPresent(r -> body.put("resolution", r));
        letter.resolvedAt().ifPresent(r -> body.put("resolvedAt", r.toString()));
        return body;
    }

    private static Map<String, Object> attempt(Attempt attempt) {
        return Map.of("number", attempt.number(), "at", attempt.at().toString(), "error", attempt.error());
    }

    private static void answer(Context ctx, ObjectMapper mapper, Object body) throws Exception {
        ctx.contentType("application/json").result(mapper.writeValueAsString(body));
    }
}
