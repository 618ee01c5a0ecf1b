-- Consumers' inboxes: one row per (consumer, message id) handled, inserted with ON CONFLICT DO NOTHING in the same
-- transaction as the handler's effect. A concurrent duplicate's insert waits for the first transaction's row and
-- then does nothing (or inserts, if the first rolled back). position is the message's global position (pruning by
-- watermark); handled_at comes from the inbox's Java clock (pruning by age).
CREATE TABLE ${schema}.inbox (
    consumer   TEXT        NOT NULL,
    message_id UUID        NOT NULL,
    position   BIGINT      NOT NULL,
    handled_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
