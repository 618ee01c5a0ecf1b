// SPDX-License-Identifier: Apache-2.0
/** The notification context's HTTP endpoint. */
package dev.factum.shop.notification.http;
