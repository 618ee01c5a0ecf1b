// SPDX-License-Identifier: Apache-2.0
/**
 * What every context's HTTP endpoints share: RFC 9457 {@link dev.factum.shop.http.Problem}s, the
 * {@link dev.factum.shop.http.ProblemException} that answers with one, and {@link dev.factum.shop.http.RouteSet}, how a
 * context adds its endpoints to the shop's server.
 */
package dev.factum.shop.http;
