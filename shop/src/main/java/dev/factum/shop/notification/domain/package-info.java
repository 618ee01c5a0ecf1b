// SPDX-License-Identifier: Apache-2.0
/** The notification context's model: what was sent about which order. Pure. */
package dev.factum.shop.notification.domain;
