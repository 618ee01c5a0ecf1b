-- SPDX-License-Identifier: Apache-2.0
-- Aggregate snapshots: the latest state of each stream, as the JSON text the repository wrote, with the fingerprint
-- of its state class and the version of the last event folded into it. A save replaces the row only with a version
-- at least as high. saved_at is in epoch microseconds.
CREATE TABLE snapshots (
    stream      TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version >= 1),
    fingerprint TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    saved_at    INTEGER NOT NULL
) STRICT;
