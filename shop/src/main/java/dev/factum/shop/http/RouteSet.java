// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;

/**
 * A context's HTTP endpoints, added to the shop's server next to the Order API. Handlers answer JSON with
 * {@code mapper} and refuse a request by throwing {@link ProblemException}, which the server turns into
 * problem+json.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RouteSet {
    void register(RoutesConfig routes, ObjectMapper mapper);
}
