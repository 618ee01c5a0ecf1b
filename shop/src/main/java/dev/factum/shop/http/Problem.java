// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One RFC 9457 problem: {@code type} is {@code /problems/<name>} (a URI reference resolved against the API's base),
 * {@code title} a fixed sentence per name, {@code detail} this occurrence. A broken business rule also carries
 * {@code rule}, the name from {@link dev.factum.shop.order.domain.OrderRules}.
 *
 * @param status HTTP status
 * @param name   the problem's stable name, e.g. {@code malformed-json}, {@code order-not-found}
 * @param title  short, the same for every occurrence of {@code name}
 * @param detail what happened this time
 * @param rule   the broken rule, for 404 and 422
 * @since 0.1
 */
public record Problem(int status, String name, String title, String detail, Optional<String> rule) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(int status, String name, String title, String detail) {
        return new Problem(status, name, title, detail, Optional.empty());
    }

    /** The JSON members, in RFC order. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "/problems/" + name);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        rule.ifPresent(r -> body.put("rule", r));
        return body;
    }
}
