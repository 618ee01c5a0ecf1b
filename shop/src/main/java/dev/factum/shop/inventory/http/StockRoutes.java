// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.inventory.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.command.CommandBus;
import dev.factum.shop.http.Problem;
import dev.factum.shop.http.ProblemException;
import dev.factum.shop.http.RouteSet;
import dev.factum.shop.inventory.app.InventoryService;
import dev.factum.shop.inventory.domain.StockCommand.SetStockLevel;
import dev.factum.shop.inventory.domain.StockResult;
import dev.factum.shop.inventory.domain.StockState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The stock endpoints:
 * <ul>
 *   <li>{@code GET /stock} — every SKU whose stock was ever set, by SKU: {@code {"stock":[{"sku","available","reserved"}]}}
 *       (read from the {@code Stock} streams on each request, see {@link InventoryService#all()})</li>
 *   <li>{@code GET /stock/{sku}} — {@code {"sku","available","reserved"}}; 404 {@code sku-not-found} for a SKU whose
 *       stock was never set (a reservation of it is refused as {@code out-of-stock})</li>
 *   <li>{@code PUT /stock/{sku}} {@code {"available": 10}} — an operator sets the units free to reserve; 200 and the
 *       stock</li>
 * </ul>
 * Errors: 400 a body that is not {@code {"available": <integer 0 or more>}}, 422 a broken stock rule (naming it).
 *
 * @since 0.1
 */
public final class StockRoutes implements RouteSet {
    private final CommandBus bus;
    private final InventoryService inventory;

    public StockRoutes(CommandBus bus, InventoryService inventory) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.inventory = Objects.requireNonNull(inventory, "inventory");
    }

    @Override
    public void register(RoutesConfig routes, ObjectMapper mapper) {
        routes.get("/stock", ctx -> answer(ctx, mapper, Map.of("stock", inventory.all().entrySet().stream()
                .map(entry -> json(entry.getKey(), entry.getValue())).toList())));
        routes.get("/stock/{sku}", ctx -> {
            String sku = ctx.pathParam("sku");
            StockState stock = inventory.find(sku).orElseThrow(() -> new ProblemException(Problem.of(404,
                    "sku-not-found", "SKU not found", "no stock of " + sku + " was ever set; PUT /stock/" + sku
                            + " sets it")));
            answer(ctx, mapper, json(sku, stock));
        });
        routes.put("/stock/{sku}", ctx -> {
            String sku = ctx.pathParam("sku");
            StockResult result = bus.send(new SetStockLevel(sku, available(ctx, mapper)));
            answer(ctx, mapper, json(sku, result.state()));
        });
    }

    private static int available(Context ctx, ObjectMapper mapper) {
        JsonNode body;
        try {
            body = mapper.readTree(ctx.body());
        } catch (Exception e) {
            throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON",
                    "the body must be {\"available\": <integer>}: " + e.getMessage()));
        }
        if (body == null || !body.isObject()) {
            throw invalid("the body must be a JSON object {\"available\": <integer>}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("available")) throw new ProblemException(Problem.of(400, "unknown-field", "Unknown field",
                    "unknown field '" + name + "'; the body is {\"available\": <integer>}"));
        }
        JsonNode available = body.get("available");
        if (available == null || !available.canConvertToInt() || !available.isIntegralNumber()) {
            throw invalid("'available' must be an integer from 0 to " + Integer.MAX_VALUE + ", got "
                    + (available == null ? "nothing" : available.toString()));
        }
        if (available.intValue() < 0) throw invalid("'available' must be 0 or more, got " + available.intValue());
        return available.intValue();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.of(400, "invalid-field", "Missing or invalid field", detail));
    }

    private static Map<String, Object> json(String sku, StockState stock) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sku", sku);
        body.put("available", stock.available());
        body.put("reserved", stock.reserved());
        return body;
    }

    private static void answer(Context ctx, ObjectMapper mapper, Object body) throws Exception {
        ctx.contentType("application/json").result(mapper.writeValueAsString(body));
    }
}
