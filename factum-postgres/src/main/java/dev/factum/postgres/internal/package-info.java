// SPDX-License-Identifier: Apache-2.0
/**
 * Internals of the PostgreSQL store: the append path, reads, migrations, LISTEN/NOTIFY and SQL error translation.
 * Not part of the API; it changes without notice.
 */
package dev.factum.postgres.internal;
