// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.notification.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factum.inbox.Inbox;
import dev.factum.shop.notification.domain.Notification;
import dev.factum.shop.notification.domain.NotificationKind;
import dev.factum.shop.notification.view.NotificationLog;
import dev.factum.transport.ConsumerOptions;
import dev.factum.transport.Message;
import dev.factum.transport.MessageHandler;
import dev.factum.transport.RejectedMessageException;

import java.time.Clock;
import java.util.Objects;

/**
 * The notification context's consumer of order integration events: for each order event a customer hears about
 * (submitted, paid, shipped, delivered, cancelled) it records one {@link Notification}, through the {@link Inbox} so
 * that a redelivered event sends nothing twice — the notification and the inbox entry commit in one transaction. It
 * knows the order events only by their published JSON shape (it does not use the Order context's classes): a message
 * of another type, from another category or with a payload missing what it needs is refused
 * ({@link RejectedMessageException}) and becomes a dead letter.
 *
 * @since 0.1
 */
public final class NotificationConsumer implements MessageHandler {
    /** The consumer's durable name: queue, consumer group or checkpoint, and the inbox's consumer. */
    public static final String NAME = "notification";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Inbox inbox;
    private final NotificationLog log;
    private final Clock clock;

    public NotificationConsumer(Inbox inbox, NotificationLog log, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Bound to the order events it turns into notifications. */
    public static ConsumerOptions options() {
        return ConsumerOptions.of(NAME, "Order.OrderSubmitted", "Order.PaymentReceived", "Order.OrderShipped",
                "Order.OrderDelivered", "Order.OrderCancelled", "Order.OrderConfirmed", "Order.OrderRejected");
    }

    @Override
    public void handle(Message message) {
        Notification notification = compose(message);
        inbox.handleOnce(NAME, message, tx -> log.record(tx.connection().orElseThrow(() ->
                new IllegalStateException("the notification inbox must be on the SQL store")), notification));
    }

    Notification compose(Message message) {
        if (!message.category().equals("Order")) {
            throw new RejectedMessageException("not an order event: stream " + message.stream());
        }
        String orderId = message.stream().substring("Order-".length());
        JsonNode data;
        try {
            data = JSON.readTree(message.body());
        } catch (JsonProcessingException e) {
            throw new RejectedMessageException(message.type() + " payload is not JSON: " + e.getOriginalMessage(), e);
        }
        String text;
        NotificationKind kind;
        switch (message.type()) {
            case "OrderSubmitted" -> {
                kind = NotificationKind.ORDER_RECEIVED;
                text = "We received your order " + orderId + " (total " + field(message, data, "total") + ").";
            }
            case "PaymentReceived" -> {
                kind = NotificationKind.PAYMENT_CONFIRMED;
                text = "We received your payment of " + field(message, data, "amount") + " for order " + orderId + ".";
            }
            case "OrderShipped" -> {
                kind = NotificationKind.ORDER_SHIPPED;
                text = "Your order " + orderId + " is on its way with " + field(message, data, "carrier")
                        + ", tracking number " + field(message, data, "trackingNumber") + ".";
            }
            case "OrderDelivered" -> {
                kind = NotificationKind.ORDER_DELIVERED;
                text = "Your order " + orderId + " was delivered.";
            }
            case "OrderCancelled" -> {
                kind = NotificationKind.ORDER_CANCELLED;
                text = "Your order " + orderId + " was cancelled: " + field(message, data, "reason") + ".";
            }
            case "OrderConfirmed" -> {
                kind = NotificationKind.ORDER_CONFIRMED;
                text = "Your order " + orderId + " is confirmed: paid, and ready to ship with tracking number "
                        + field(message, data, "trackingNumber") + ".";
            }
            case "OrderRejected" -> {
                kind = NotificationKind.ORDER_REJECTED;
                text = "We could not take your order " + orderId + " (" + field(message, data, "reason")
                        + "); nothing was charged.";
            }
            default -> throw new RejectedMessageException("the notification context does not handle " + message.type());
        }
        return new Notification(message.messageId().toString(), orderId, kind, text, clock.instant());
    }

    private static String field(Message message, JsonNode data, String name) {
        JsonNode value = data.get(name);
        if (value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank()) {
            throw new RejectedMessageException(message.type() + " " + message.messageId() + " has no " + name);
        }
        return value.isNumber() ? value.decimalValue().toPlainString() : value.asText();
    }
}
