// SPDX-License-Identifier: Apache-2.0
/**
 * The Shipping context: one shipment per order (stream {@code Shipment-<orderId>}) with a generated tracking number,
 * created and cancelled idempotently. A participant of the order saga. Nullness: no nulls across the API; absent means
 * {@code Optional}.
 */
package dev.factum.shop.shipping;
