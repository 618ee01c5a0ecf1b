-- The events, one row each, in the global order. position is assigned by the append path while it holds the
-- store-wide append lock (a transaction-scoped advisory lock), so positions commit in order and a reader never sees
-- a gap (see the module README). Rows are never updated or deleted.
CREATE TABLE ${schema}.events (
    position    BIGINT      NOT NULL PRIMARY KEY,
    stream      TEXT        NOT NULL,
    category    TEXT        NOT NULL,
    version     BIGINT      NOT NULL CHECK (version >= 1),
    event_id    UUID        NOT NULL,
    type        TEXT        NOT NULL,
    data        JSONB       NOT NULL,
    metadata    JSONB       NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
