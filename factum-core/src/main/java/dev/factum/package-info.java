// SPDX-License-Identifier: Apache-2.0
/**
 * Factum's root package: only {@link dev.factum.FactumException}, the parent of every exception Factum raises on
 * purpose. Nullness rule for the whole API: no nulls cross it; absent values are {@link java.util.Optional}.
 */
package dev.factum;
