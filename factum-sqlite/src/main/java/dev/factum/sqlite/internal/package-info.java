// SPDX-License-Identifier: Apache-2.0
/**
 * Internals of the SQLite store: connections and their settings, schema migrations, the writer connection and its
 * batch writer, the read pool, row mapping and error translation. Not part of the public API.
 */
package dev.factum.sqlite.internal;
