// SPDX-License-Identifier: Apache-2.0
/**
 * The shop's operator endpoints across contexts: dead letters (list, inspect, replay, discard) and the state of the
 * messaging (relay and consumers).
 */
package dev.factum.shop.admin;
