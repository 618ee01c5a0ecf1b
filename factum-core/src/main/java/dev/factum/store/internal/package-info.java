// SPDX-License-Identifier: Apache-2.0
/**
 * Store SPI shared by the Factum store modules: validation, append planning and group commit. Not part of the public
 * API: applications must not use it, and it changes without notice.
 */
package dev.factum.store.internal;
