// SPDX-License-Identifier: Apache-2.0
package dev.factum.sqlite;

/**
 * SQLite's {@code PRAGMA synchronous} setting: how often SQLite waits for the disk. The store applies it to every
 * connection it opens, because SQLite keeps it per connection. In WAL mode:
 * <ul>
 *   <li>{@link #FULL} (the default) — every commit is flushed to disk before the append returns: durable on power
 *       loss;</li>
 *   <li>{@link #NORMAL} — the write-ahead log is flushed only at checkpoints: several times faster for small
 *       appends; safe against a process crash, but a power loss or OS crash can lose the last commits;</li>
 *   <li>{@link #EXTRA} — like FULL, and also flushes the directory; for file systems that need it;</li>
 *   <li>{@link #OFF} — never waits for the disk; a power loss can corrupt the file. Only for throw-away data.</li>
 * </ul>
 *
 * @since 0.1
 */
public enum SqliteSynchronous {
    OFF, NORMAL, FULL, EXTRA;

    /** The number SQLite reports when the setting is read back with {@code PRAGMA synchronous}. */
    public int pragmaValue() {
        return ordinal();
    }
}
