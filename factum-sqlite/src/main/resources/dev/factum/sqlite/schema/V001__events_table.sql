-- SPDX-License-Identifier: Apache-2.0
-- The events: one row per event. position is the global order (the rowid, assigned by the writer under SQLite's
-- write lock, so commits happen in position order and the order has no gaps); (stream, version) and event_id are
-- unique. metadata is the JSON form of dev.factum.event.codec.MetadataCodec; recorded_at is in epoch microseconds.
CREATE TABLE events (
    position    INTEGER PRIMARY KEY,
    stream      TEXT    NOT NULL,
    category    TEXT    NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    event_id    TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (stream, version)
) STRICT;
