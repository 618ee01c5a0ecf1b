// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.notification.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.shop.http.Problem;
import dev.factum.shop.http.ProblemException;
import dev.factum.shop.http.RouteSet;
import dev.factum.shop.notification.domain.Notification;
import dev.factum.shop.notification.view.NotificationLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /notifications?orderId=&limit=}: the notifications sent about one order (oldest first), or the newest
 * ones ({@code limit}, default 50, at most 1,000).
 *
 * @since 0.1
 */
public final class NotificationRoutes implements RouteSet {
    private final NotificationLog log;

    public NotificationRoutes(NotificationLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void register(RoutesConfig routes, ObjectMapper mapper) {
        routes.get("/notifications", ctx -> list(ctx, mapper));
    }

    private void list(Context ctx, ObjectMapper mapper) throws Exception {
        String orderId = ctx.queryParam("orderId");
        List<Notification> found;
        if (orderId != null) {
            found = log.forOrder(orderId);
        } else {
            int limit;
            try {
                limit = Integer.parseInt(ctx.queryParamAsClass("limit", String.class).getOrDefault("50"));
                found = log.recent(limit);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Problem.of(400, "invalid-query", "Invalid query parameter",
                        "limit must be an integer 1-1000: " + e.getMessage()));
            }
        }
        List<Map<String, Object>> items = found.stream().map(NotificationRoutes::json).toList();
        ctx.contentType("application/json").result(mapper.writeValueAsString(Map.of("notifications", items)));
    }

    private static Map<String, Object> json(Notification n) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", n.orderId());
        body.put("kind", n.kind().name());
        body.put("text", n.text());
        body.put("messageId", n.messageId());
        body.put("sentAt", n.sentAt().toString());
        return body;
    }
}
