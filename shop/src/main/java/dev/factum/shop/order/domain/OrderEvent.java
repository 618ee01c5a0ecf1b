// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What happened to an order. Stored under each record's simple name ({@code "OrderCreated"}, …) by the aggregate's
 * codec; these names and fields are the stored schema, so change them only with an upcaster. Money is exact
 * ({@link BigDecimal}) in the order's currency, an ISO-4217 code.
 *
 * @since 0.1
 */
public sealed interface OrderEvent {

    /** The order was created for a customer, in one currency, with its first items (possibly none). */
    record OrderCreated(String customerId, String currency, List<OrderLine> items) implements OrderEvent {
        public OrderCreated {
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(currency, "currency");
            items = List.copyOf(items);
        }
    }

    /** {@code quantity} more of {@code sku} at {@code unitPrice}; adds to the line if the SKU is already ordered. */
    record OrderItemAdded(String sku, int quantity, BigDecimal unitPrice) implements OrderEvent {
        public OrderItemAdded {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(unitPrice, "unitPrice");
        }
    }

    /** The whole line of {@code sku} was removed. */
    record OrderItemRemoved(String sku) implements OrderEvent {
        public OrderItemRemoved {
            Objects.requireNonNull(sku, "sku");
        }
    }

    /** The items were fixed; {@code total} is what the customer must pay. */
    record OrderSubmitted(BigDecimal total) implements OrderEvent {
        public OrderSubmitted {
            Objects.requireNonNull(total, "total");
        }
    }

    /** The exact total was paid by payment {@code paymentId}. */
    record PaymentReceived(String paymentId, BigDecimal amount) implements OrderEvent {
        public PaymentReceived {
            Objects.requireNonNull(paymentId, "paymentId");
            Objects.requireNonNull(amount, "amount");
        }
    }

    /** The order was handed to {@code carrier} under {@code trackingNumber}. */
    record OrderShipped(String trackingNumber, String carrier) implements OrderEvent {
        public OrderShipped {
            Objects.requireNonNull(trackingNumber, "trackingNumber");
            Objects.requireNonNull(carrier, "carrier");
        }
    }

    /** The customer received the order. */
    record OrderDelivered() implements OrderEvent {
    }

    /** The order was cancelled before shipping, for {@code reason}. */
    record OrderCancelled(String reason) implements OrderEvent {
        public OrderCancelled {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The order saga completed: stock reserved, payment charged, shipment created under {@code trackingNumber}. */
    record OrderConfirmed(String trackingNumber) implements OrderEvent {
        public OrderConfirmed {
            Objects.requireNonNull(trackingNumber, "trackingNumber");
        }
    }

    /** The order saga failed for {@code reason} ({@code OUT_OF_STOCK}, {@code PAYMENT_DECLINED}, {@code SHIPPING_FAILED}) and compensated. */
    record OrderRejected(String reason) implements OrderEvent {
        public OrderRejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
