// SPDX-License-Identifier: Apache-2.0
/**
 * The Order context's read side: {@link dev.factum.shop.order.view.OrderListProjection} keeps one row per order in a
 * plain-SQL table ({@code order_list_g<generation>}, the same DDL on SQLite and PostgreSQL) written in the checkpoint's
 * transaction, and {@link dev.factum.shop.order.view.OrderQueries} answers
 * {@link dev.factum.shop.order.view.ListOrders} and {@link dev.factum.shop.order.view.GetOrder} on a
 * {@link dev.factum.query.QueryBus} from the active generation, the detail's history coming from the event store.
 * Nullness: no nulls across the API; absent means {@code Optional}.
 */
package dev.factum.shop.order.view;
