/**
 * The order saga: reserve stock for every line, charge the payment, create the shipment, confirm the order — and, when
 * a step fails for good, release, refund and cancel in reverse, then reject the order. Started durably from each
 * {@code OrderSubmitted} event, driven by a {@link dev.factum.saga.SagaEngine}; its HTTP endpoints are {@code /sagas}.
 */
package dev.factum.shop.order.saga;
