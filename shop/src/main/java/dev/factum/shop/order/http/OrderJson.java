// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.factum.shop.order.domain.OrderLine;
import dev.factum.shop.order.domain.OrderState;

import java.math.BigDecimal;
import java.util.List;

/**
 * The JSON shapes of the Order API: request bodies (every field required, unknown fields refused) and the order
 * answered by every endpoint. Money is written as a plain decimal string ({@code "19.99"}) so that no client parses
 * it as a binary float; requests accept a string or a JSON number, both read exactly.
 */
final class OrderJson {
    private OrderJson() {
    }

    record Line(String sku, int quantity, BigDecimal unitPrice) {
        OrderLine toLine() {
            return new OrderLine(sku, quantity, unitPrice);
        }
    }

    record CreateRequest(String customerId, String currency, List<Line> items) {
    }

    record PaymentRequest(String paymentId, BigDecimal amount) {
    }

    record ShipmentRequest(String trackingNumber, String carrier) {
    }

    record CancelRequest(String reason) {
    }

    /** One line as answered. */
    record LineView(String sku, int quantity, String unitPrice, String subtotal) {
    }

    /**
     * The order as answered: its id, version (also the {@code ETag}), status, lines and total, and for a
     * {@code REJECTED} order the saga's reason ({@code rejectionReason}, left out for any other status).
     */
    record OrderView(String id, long version, String customerId, String currency, String status,
                     List<LineView> items, String total,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String rejectionReason) {
        static OrderView of(String id, long version, OrderState state) {
            List<LineView> lines = state.items().stream().map(line -> new LineView(line.sku(), line.quantity(),
                    line.unitPrice().toPlainString(), line.subtotal().toPlainString())).toList();
            return new OrderView(id, version, state.customerId(), state.currency(), state.status().name(), lines,
                    state.total().toPlainString(), state.rejectionReason().isEmpty() ? null : state.rejectionReason());
        }
    }
}
