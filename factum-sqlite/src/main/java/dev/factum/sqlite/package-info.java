// SPDX-License-Identifier: Apache-2.0
/**
 * The embedded default store: events and checkpoints in one SQLite file, in WAL mode, written by one writer
 * connection with group commit and read through a small pool of read-only connections. Open it with
 * {@link dev.factum.sqlite.SqliteEventStore#open(dev.factum.sqlite.SqliteConfig)}. No nulls cross this API; absent
 * means {@link java.util.Optional}.
 */
package dev.factum.sqlite;
