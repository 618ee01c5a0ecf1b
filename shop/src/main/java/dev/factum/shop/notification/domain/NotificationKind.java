// SPDX-License-Identifier: Apache-2.0
package dev.factum.shop.notification.domain;

/**
 * What a notification tells the customer, one per order event the notification context listens to.
 *
 * @since 0.1
 */
public enum NotificationKind {
    ORDER_RECEIVED, PAYMENT_CONFIRMED, ORDER_SHIPPED, ORDER_DELIVERED, ORDER_CANCELLED, ORDER_CONFIRMED, ORDER_REJECTED
}
