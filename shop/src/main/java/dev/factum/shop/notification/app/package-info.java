// SPDX-License-Identifier: Apache-2.0
/** The notification context's consumer of order integration events. */
package dev.factum.shop.notification.app;
