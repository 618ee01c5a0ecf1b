// SPDX-License-Identifier: Apache-2.0
/**
 * The Shipping context's domain: the {@link dev.factum.shop.shipping.domain.Shipments#AGGREGATE Shipment aggregate},
 * its sealed {@link dev.factum.shop.shipping.domain.ShipmentEvent events} and
 * {@link dev.factum.shop.shipping.domain.ShipmentCommand commands}, and the named rules
 * ({@link dev.factum.shop.shipping.domain.ShipmentRules}). Pure: the tracking number is derived from the order id.
 * Nullness: no nulls across the API; absent means {@code Optional}.
 */
package dev.factum.shop.shipping.domain;
