// SPDX-License-Identifier: Apache-2.0
/** The log of notifications sent, a table in the store's database. */
package dev.factum.shop.notification.view;
