-- SPDX-License-Identifier: Apache-2.0
-- Consumers' inboxes: one row per (consumer, message id) handled, inserted with ON CONFLICT DO NOTHING in the same
-- transaction as the handler's effect, so a redelivered message finds its row and runs nothing. position is the
-- message's global position (for pruning by watermark); handled_at is in epoch microseconds (for pruning by age).
CREATE TABLE inbox (
    consumer   TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    handled_at INTEGER NOT NULL,
    PRIMARY KEY (consumer, message_id)
) STRICT, WITHOUT ROWID;
