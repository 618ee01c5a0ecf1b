// SPDX-License-Identifier: Apache-2.0
/**
 * The Order context's HTTP API on Javalin: JSON requests and responses (money as exact decimal strings), writes sent
 * as commands on a {@link dev.factum.command.CommandBus}, {@code ETag}/{@code If-Match} carrying the order stream's
 * version, and every error as an RFC 9457 {@code application/problem+json} body. Reads of one order come from the
 * aggregate itself, so a client always reads its own writes. No nulls cross the API; absent values are
 * {@link java.util.Optional}.
 *
 * @since 0.1
 */
package dev.factum.shop.order.http;
