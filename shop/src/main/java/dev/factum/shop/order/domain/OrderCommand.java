// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.order.domain;

import dev.factum.command.Command;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What a client asks of one order, named by {@link #orderId()}. Every command answers an {@link OrderResult} when sent
 * on a {@link dev.factum.command.CommandBus}. The records refuse only nulls; whether a command is allowed is decided
 * by the aggregate ({@link Orders#AGGREGATE}), which refuses with a named rule from {@link OrderRules}. Every command
 * but {@link CreateOrder} needs an existing order ({@value OrderRules#ORDER_NOT_FOUND}).
 *
 * @since 0.1
 */
public sealed interface OrderCommand extends Command<OrderResult> {

    /** The order this command is about; the aggregate instance id (stream {@code Order-<orderId>}). */
    String orderId();

    /** Creates the order; the id is chosen by the caller (the HTTP layer makes a UUID). Items may be empty. */
    record CreateOrder(String orderId, String customerId, String currency, List<OrderLine> items) implements OrderCommand {
        public CreateOrder {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(customerId, "customerId");
            Objects.requireNonNull(currency, "currency");
            items = List.copyOf(items);
        }
    }

    /** Adds {@code quantity} of {@code sku}; an already ordered SKU gets the quantity added, at the same unit price. */
    record AddItem(String orderId, String sku, int quantity, BigDecimal unitPrice) implements OrderCommand {
        public AddItem {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(unitPrice, "unitPrice");
        }
    }

    /** Removes the whole line of {@code sku}. */
    record RemoveItem(String orderId, String sku) implements OrderCommand {
        public RemoveItem {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(sku, "sku");
        }
    }

    /** Fixes the items; the total becomes due. */
    record SubmitOrder(String orderId) implements OrderCommand {
        public SubmitOrder {
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    /** Records payment {@code paymentId} of {@code amount}, which must be the order's exact total. */
    record PayOrder(String orderId, String paymentId, BigDecimal amount) implements OrderCommand {
        public PayOrder {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(paymentId, "paymentId");
            Objects.requireNonNull(amount, "amount");
        }
    }

    /** Records that the paid order was handed to {@code carrier} under {@code trackingNumber}. */
    record ShipOrder(String orderId, String trackingNumber, String carrier) implements OrderCommand {
        public ShipOrder {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(trackingNumber, "trackingNumber");
            Objects.requireNonNull(carrier, "carrier");
        }
    }

    /** Records that the shipped order was delivered. */
    record DeliverOrder(String orderId) implements OrderCommand {
        public DeliverOrder {
            Objects.requireNonNull(orderId, "orderId");
        }
    }

    /** Cancels the order before it ships, for {@code reason}. */
    record CancelOrder(String orderId, String reason) implements OrderCommand {
        public CancelOrder {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Sent by the order saga when it completed: the order is confirmed with the shipment's {@code trackingNumber}. */
    record ConfirmOrder(String orderId, String trackingNumber) implements OrderCommand {
        public ConfirmOrder {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(trackingNumber, "trackingNumber");
        }
    }

    /** Sent by the order saga when it compensated: the order is rejected for {@code reason}. */
    record RejectOrder(String orderId, String reason) implements OrderCommand {
        public RejectOrder {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
