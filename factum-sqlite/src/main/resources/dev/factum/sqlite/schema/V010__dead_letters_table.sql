-- SPDX-License-Identifier: Apache-2.0
-- Dead letters: messages a consumer could not handle, kept for inspection, replay or discard. headers is a JSON
-- object of strings, attempts a JSON array of {number, at, error} (oldest first); message_type is the headers'
-- factum-type, copied out for filtering. state moves from PARKED to REPLAYED or DISCARDED once, with resolution and
-- resolved_at. Times are epoch microseconds.
CREATE TABLE dead_letters (
    id            TEXT    PRIMARY KEY,
    consumer      TEXT    NOT NULL,
    message_type  TEXT,
    headers       TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    stack_summary TEXT    NOT NULL,
    attempts      TEXT    NOT NULL,
    dead_at       INTEGER NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('PARKED', 'REPLAYED', 'DISCARDED')),
    resolution    TEXT,
    resolved_at   INTEGER,
    CHECK ((state = 'PARKED') = (resolved_at IS NULL))
) STRICT;
