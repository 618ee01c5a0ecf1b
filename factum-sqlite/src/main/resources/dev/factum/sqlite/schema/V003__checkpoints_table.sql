-- SPDX-License-Identifier: Apache-2.0
-- Subscription checkpoints: the last position each subscription fully handled, written in the same transaction as
-- the handler's effect. updated_at is in epoch microseconds.
CREATE TABLE checkpoints (
    name       TEXT    PRIMARY KEY,
    position   INTEGER NOT NULL CHECK (position >= 0),
    updated_at INTEGER NOT NULL
) STRICT;
