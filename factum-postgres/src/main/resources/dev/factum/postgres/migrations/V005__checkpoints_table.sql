-- Subscription checkpoints, upserted in the same transaction as the handler's work.
CREATE TABLE ${schema}.checkpoints (
    name       TEXT        NOT NULL PRIMARY KEY,
    position   BIGINT      NOT NULL CHECK (position >= 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
