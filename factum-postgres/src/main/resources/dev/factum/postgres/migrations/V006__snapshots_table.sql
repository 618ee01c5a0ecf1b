-- Aggregate snapshots: the latest state of each stream, as the JSON text the repository wrote (kept as text, byte
-- for byte), with the fingerprint of its state class and the version of the last event folded into it. A save
-- replaces the row only with a version at least as high.
CREATE TABLE ${schema}.snapshots (
    stream      TEXT        NOT NULL PRIMARY KEY,
    version     BIGINT      NOT NULL CHECK (version >= 1),
    fingerprint TEXT        NOT NULL,
    state       TEXT        NOT NULL,
    saved_at    TIMESTAMPTZ NOT NULL
);
