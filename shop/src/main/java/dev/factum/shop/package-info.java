// SPDX-License-Identifier: Apache-2.0
/**
 * The reference order-processing application built on Factum, one package per bounded context
 * ({@code dev.factum.shop.order}, later inventory, payment, shipping, notification), each split into
 * {@code domain}, {@code app}, {@code view}, {@code http} and {@code contract}. It uses the library's exported API only.
 */
package dev.factum.shop;
