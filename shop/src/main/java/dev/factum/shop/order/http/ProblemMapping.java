// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import dev.factum.shop.http.Problem;
import dev.factum.shop.http.ProblemException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.aggregate.RuleViolationException;
import dev.factum.shop.order.domain.OrderRules;
import dev.factum.store.WrongExpectedVersionException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Maps every failure to an RFC 9457 problem: 400 for a request that cannot be read, 404 for an unknown order, 409 for
 * a concurrent writer that won every retry, 404/405 for an unknown route or a method it does not allow, 412 for a stale {@code If-Match}, 413 for an oversized body, 422 for a
 * broken business rule (naming it), 500 for anything else (logged, no detail leaked).
 */
final class ProblemMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapping.class);

    private ProblemMapping() {
    }

    static void register(RoutesConfig routes, ObjectMapper mapper) {
        routes.exception(ProblemException.class, (e, ctx) -> write(ctx, mapper, e.problem()));
        routes.exception(RuleViolationException.class, (e, ctx) -> write(ctx, mapper, fromRule(e)));
        routes.exception(WrongExpectedVersionException.class, (e, ctx) -> write(ctx, mapper,
                ctx.header("If-Match") != null
                        ? Problem.of(412, "version-mismatch", "The order has changed",
                        "If-Match expected " + e.expected() + " but the order is at version " + e.actual()
                                + "; read it again and retry")
                        : Problem.of(409, "concurrent-change", "The order was changed concurrently",
                        "another request changed the order at the same time (now at version " + e.actual()
                                + "); retry")));
        routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, mapper, switch (e.getStatus()) {
            case 413 -> Problem.of(413, "request-too-large", "Request body too large", e.getMessage());
            case 404 -> Problem.of(404, "no-such-endpoint", "No such endpoint",
                    "no endpoint " + ctx.method() + " " + ctx.path() + "; see the API's endpoint table");
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed",
                    ctx.method() + " is not allowed on " + ctx.path());
            default -> Problem.of(e.getStatus(), "http-" + e.getStatus(), e.getMessage(), e.getMessage());
        }));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            write(ctx, mapper, Problem.of(500, "internal-error", "Internal server error",
                    "the request failed unexpectedly; see the server log"));
        });
    }

    static Problem fromRule(RuleViolationException e) {
        if (e.rule().equals(OrderRules.ORDER_NOT_FOUND)) {
            return new Problem(404, OrderRules.ORDER_NOT_FOUND, "Order not found", e.getMessage(),
                    Optional.of(e.rule()));
        }
        return new Problem(422, "rule-violated", "A business rule refused the request", e.getMessage(),
                Optional.of(e.rule()));
    }

    static Problem fromJson(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return Problem.of(400, "malformed-json", "Malformed JSON", e.getOriginalMessage());
        }
        String path = e instanceof JsonMappingException m ? m.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")) : "";
        if (e instanceof UnrecognizedPropertyException u) {
            return Problem.of(400, "unknown-field", "Unknown field",
                    "unknown field '" + u.getPropertyName() + "'" + at(path));
        }
        if (e instanceof MismatchedInputException) {
            return Problem.of(400, "invalid-field", "Missing or invalid field",
                    e.getOriginalMessage() + at(path));
        }
        return Problem.of(400, "malformed-json", "Malformed JSON", e.getOriginalMessage());
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : " (at " + path + ")";
    }

    private static void write(Context ctx, ObjectMapper mapper, Problem problem) {
        ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE)
                .result(ShopServer.json(mapper, problem.body()));
    }
}
