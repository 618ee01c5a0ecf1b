// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.notification.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A notification the shop sent about an order (recorded, not mailed: the shop has no mail server).
 *
 * @param messageId the integration message that caused it (the order event's id)
 * @param orderId   the order
 * @param kind      what it tells
 * @param text      the text sent
 * @param sentAt    when it was recorded
 * @since 0.1
 */
public record Notification(String messageId, String orderId, NotificationKind kind, String text, Instant sentAt) {
    public Notification {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
