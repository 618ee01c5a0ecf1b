// SPDX-License-Identifier: Apache-2.0
/**
 * The notification context: it hears about orders only through integration messages (the relay and a transport), and
 * records the notifications it sends, once per event thanks to the inbox.
 */
package dev.factum.shop.notification;
