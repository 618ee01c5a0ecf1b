-- SPDX-License-Identifier: Apache-2.0
-- Dead letters get the state REPLAY_REQUESTED (a replay asked for where the consumer does not run, done by a process
-- where it runs; a failed replay parks the letter again) and replay_requested_at, the time of the last request, in
-- epoch microseconds. SQLite cannot change a CHECK constraint in place, so the table is rebuilt as SQLite's ALTER TABLE
-- documentation describes: a table with the new constraints, the rows copied, the old table dropped (with its index),
-- the new one renamed, the index made again. All of it runs in the migration's one transaction.
CREATE TABLE dead_letters_rebuilt (
    id                  TEXT    PRIMARY KEY,
    consumer            TEXT    NOT NULL,
    message_type        TEXT,
    headers             TEXT    NOT NULL,
    body                TEXT    NOT NULL,
    reason              TEXT    NOT NULL,
    stack_summary       TEXT    NOT NULL,
    attempts            TEXT    NOT NULL,
    dead_at             INTEGER NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('PARKED', 'REPLAY_REQUESTED', 'REPLAYED', 'DISCARDED')),
    resolution          TEXT,
    resolved_at         INTEGER,
    replay_requested_at INTEGER,
    CHECK ((state IN ('PARKED', 'REPLAY_REQUESTED')) = (resolved_at IS NULL)),
    CHECK (state <> 'REPLAY_REQUESTED' OR replay_requested_at IS NOT NULL)
) STRICT;

INSERT INTO dead_letters_rebuilt (id, consumer, message_type, headers, body, reason, stack_summary, attempts, dead_at,
                                  state, resolution, resolved_at)
SELECT id, consumer, message_type, headers, body, reason, stack_summary, attempts, dead_at, state, resolution,
       resolved_at
FROM dead_letters;

DROP TABLE dead_letters;

ALTER TABLE dead_letters_rebuilt RENAME TO dead_letters;

CREATE INDEX dead_letters_dead_at ON dead_letters (dead_at, id);
